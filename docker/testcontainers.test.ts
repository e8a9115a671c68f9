// The testcontainers module's control token, without a container engine: the settings it gives
// the container, and its reset() against an in-process emulator that wants the token (fetch is
// pointed at app.request, so no port is opened).
import type { StartedTestContainer } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp, type TwinApp } from "../emulator/app.js";
import { CognitoTwinContainer, StartedCognitoTwinContainer, TRIGGERS_DIR } from "./testcontainers.js";

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
