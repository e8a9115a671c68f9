// The testcontainers module's control token, without a container engine: the settings it gives
// the container, and its reset() against an in-process emulator that wants the token (fetch is
// pointed at app.request, so no port is opened).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { StartedTestContainer } from "testcontainers";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp, type TwinApp } from "../emulator/app.js";
import {
  CognitoTwinContainer,
  connectToEngine,
  imageSourceAt,
  NoContainerEngineError,
  noEngineMessage,
  StartedCognitoTwinContainer,
  TRIGGERS_DIR,
} from "./testcontainers.js";

// connectToEngine's retry is tested with testcontainers' engine lookup replaced; every other
// test here runs without an engine.
const lookup = vi.hoisted(() => ({ impl: undefined as undefined | (() => Promise<unknown>) }));
vi.mock("testcontainers", async (importOriginal) => {
  const actual = await importOriginal<typeof import("testcontainers")>();
  return {
    ...actual,
    getContainerRuntimeClient: () => (lookup.impl ? lookup.impl() : actual.getContainerRuntimeClient()),
  };
});

const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

const TOKEN = "container-control-t0ken";

/** The environment a container would start with (GenericContainer keeps it protected). */
function environmentOf(container: CognitoTwinContainer): Record<string, string> {
  return (container as unknown as { environment: Record<string, string> }).environment;
}

describe("CognitoTwinContainer.withControlToken", () => {
  it("gives the emulator COGNITO_TWIN_CONTROL_TOKEN", () => {
    expect(environmentOf(new CognitoTwinContainer().withControlToken(TOKEN))).toMatchObject({
      COGNITO_TWIN_CONTROL_TOKEN: TOKEN,
    });
  });
});

describe("CognitoTwinContainer.withSharedSigningKeys", () => {
  it("gives the emulator COGNITO_TWIN_SHARED_SIGNING_KEYS, which its configuration reads", () => {
    expect(environmentOf(new CognitoTwinContainer().withSharedSigningKeys())).toMatchObject({
      COGNITO_TWIN_SHARED_SIGNING_KEYS: "true",
    });
    expect(environmentOf(new CognitoTwinContainer().withSharedSigningKeys(false))).toMatchObject({
      COGNITO_TWIN_SHARED_SIGNING_KEYS: "false",
    });
  });
});

describe("CognitoTwinContainer.withTriggers", () => {
  it("copies the modules in, readable by the image's user, and maps the functions in COGNITO_TWIN_TRIGGERS", () => {
    const container = new CognitoTwinContainer()
      .withTriggers({ "pre-signup": `${TRIGGERS_DIR}/a.mjs#preSignUp` }, [
        { source: "test/a.mjs", target: `${TRIGGERS_DIR}/a.mjs` },
      ])
      .withTriggers({ "arn:aws:lambda:us-east-1:000000000000:function:b": `${TRIGGERS_DIR}/b.mjs` });
    expect(environmentOf(container).COGNITO_TWIN_TRIGGERS).toBe(
      "pre-signup=/triggers/a.mjs#preSignUp,arn:aws:lambda:us-east-1:000000000000:function:b=/triggers/b.mjs",
    );
    expect((container as unknown as { filesToCopy: unknown[] }).filesToCopy).toEqual([
      { source: "test/a.mjs", target: "/triggers/a.mjs", mode: 0o644 },
    ]);
  });
});

describe("StartedCognitoTwinContainer", () => {
  const url = "http://127.0.0.1:9229";
  let twin: TwinApp;
  beforeAll(async () => {
    twin = await createApp({ logLevel: "silent", controlToken: TOKEN });
    vi.stubGlobal("fetch", (input: string, init?: RequestInit) => twin.app.request(input, init));
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    await twin.close();
  });

  const started = (token?: string) =>
    new StartedCognitoTwinContainer({} as StartedTestContainer, () => url, "us-east-1", "aws", token);

  it("resets with the token, as JSON", async () => {
    twin.services.clock.advance(3600);
    await started(TOKEN).reset();
    expect(twin.services.clock.offsetSeconds).toBe(0);
  });

  it("says why a reset without the token fails", async () => {
    await expect(started().reset()).rejects.toThrow(/cognito-twin reset failed: HTTP 401/);
  });

  it("hands out the headers for your own /_twin/* calls", async () => {
    expect(started().getControlHeaders()).toEqual({});
    const res = await fetch(`${url}/_twin/clock`, { headers: started(TOKEN).getControlHeaders() });
    expect(res.status).toBe(200);
  });
});

describe("imageSourceAt: what a missing image is built from", () => {
  it("builds a clone from its sources with docker/Dockerfile, sending only what the image needs", () => {
    expect(imageSourceAt(REPO_ROOT)).toEqual({
      kind: "sources",
      root: REPO_ROOT,
      dockerfile: "docker/Dockerfile",
      files: [
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "tsconfig.build.json",
        "docker/tsconfig.image.json",
        "docker/Dockerfile",
        "emulator",
      ],
    });
  });

  it("builds an installed package (no lock file, no sources) from dist/ with docker/package.Dockerfile", () => {
    const root = mkdtempSync(join(tmpdir(), "cognito-twin-pkg-"));
    mkdirSync(join(root, "dist", "emulator"), { recursive: true });
    mkdirSync(join(root, "docker"));
    writeFileSync(join(root, "package.json"), "{}");
    expect(imageSourceAt(root)).toBeUndefined();
    writeFileSync(join(root, "dist", "emulator", "cli.js"), "");
    writeFileSync(join(root, "docker", "package.Dockerfile"), "");
    expect(imageSourceAt(root)).toEqual({
      kind: "package",
      root,
      dockerfile: "docker/package.Dockerfile",
      files: ["package.json", "dist/emulator", "docker/package.Dockerfile"],
    });
  });
});

describe("connectToEngine", () => {
  const saved = { ...process.env };
  afterEach(() => {
    lookup.impl = undefined;
    for (const key of ["TESTCONTAINERS_HOST_OVERRIDE", "DOCKER_HOST"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it("tries once more at localhost (an engine beside the tests with no bridge network) and keeps what works", async () => {
    delete process.env.TESTCONTAINERS_HOST_OVERRIDE;
    const seen: (string | undefined)[] = [];
    const client = { info: {} };
    lookup.impl = async () => {
      seen.push(process.env.TESTCONTAINERS_HOST_OVERRIDE);
      if (process.env.TESTCONTAINERS_HOST_OVERRIDE !== "localhost")
        throw new Error("Could not find a working container runtime strategy");
      return client;
    };
    expect(await connectToEngine()).toBe(client);
    expect(seen).toEqual([undefined, "localhost"]);
    expect(process.env.TESTCONTAINERS_HOST_OVERRIDE).toBe("localhost");
  });

  it("says what it tried and what to do when nothing answers, and leaves the environment as it was", async () => {
    delete process.env.TESTCONTAINERS_HOST_OVERRIDE;
    process.env.DOCKER_HOST = "unix:///nonexistent/docker.sock";
    lookup.impl = async () => {
      throw new Error("Could not find a working container runtime strategy");
    };
    const error = await connectToEngine().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NoContainerEngineError);
    const { message, tried } = error as NoContainerEngineError;
    expect(tried[0]).toBe(
      "DOCKER_HOST=unix:///nonexistent/docker.sock: connect ENOENT /nonexistent/docker.sock (used instead of every socket below)",
    );
    expect(tried).toContainEqual(expect.stringMatching(/^\/var\/run\/docker\.sock: /));
    expect(message).toBe(noEngineMessage(tried, "Could not find a working container runtime strategy"));
    expect(message).toMatch(
      /^cognito-twin\/testcontainers: no container engine is reachable \(testcontainers: Could not find a working container runtime strategy\)\. Tried:\n {2}- DOCKER_HOST=/,
    );
    expect(message).toContain("sudo bash scripts/docker-engine.sh");
    expect(message).toContain("point DOCKER_HOST at the engine");
    expect(process.env.TESTCONTAINERS_HOST_OVERRIDE).toBeUndefined();
  });

  it("does not override a TESTCONTAINERS_HOST_OVERRIDE the user set", async () => {
    process.env.TESTCONTAINERS_HOST_OVERRIDE = "docker.internal";
    let calls = 0;
    lookup.impl = async () => {
      calls++;
      throw new Error("no engine");
    };
    await expect(connectToEngine()).rejects.toThrow(NoContainerEngineError);
    expect(calls).toBe(1);
    expect(process.env.TESTCONTAINERS_HOST_OVERRIDE).toBe("docker.internal");
  });
});
