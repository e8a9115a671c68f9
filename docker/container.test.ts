// The image, run through the testcontainers module as a user would: real SDK v3 calls against
// the container's endpoint, its health route and HEALTHCHECK, a seed file copied in, tokens
// verified against the container's own JWKS, and what the image is (non-root, production
// dependencies only). Skipped without a Docker engine, except under CI=true where that fails.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { getContainerRuntimeClient } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../emulator/seed.js";
import { CLI_BUNDLE_ENV } from "../test-support/cli-process.js";
import { ensureImage, requireDockerUnlessLocal, TEST_IMAGE } from "../test-support/docker.js";
import { CognitoTwinContainer, type StartedCognitoTwinContainer } from "./testcontainers.js";

const SUITE = "docker/container.test.ts";
const run = promisify(execFile);
const runs = await requireDockerUnlessLocal(SUITE);

const POOL_ID = "eu-west-1_Container1";
const CLIENT_ID = "containerclient0000000000a";
const SEED: SeedFile = {
  UserPools: [
    {
      Id: POOL_ID,
      PoolName: "container-seed",
      Clients: [
        {
          ClientName: "seeded-app",
          ClientId: CLIENT_ID,
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        },
      ],
      Users: [
        {
          Username: "seeded-user",
          Password: "Seeded-Passw0rd!",
          Attributes: { email: "seeded@example.com", email_verified: "true" },
        },
      ],
    },
  ],
};

// Built before any container starts: a missing or stale image is rebuilt (about a minute).
beforeAll(async () => {
  if (runs) await ensureImage();
}, 600_000);

describe.skipIf(!runs)("container with a seed file and a local issuer", () => {
  let twin: StartedCognitoTwinContainer;
  let cognito: CognitoIdentityProviderClient;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "cognito-twin-seed-"));
    const seedFile = join(dir, "seed.json");
    writeFileSync(seedFile, JSON.stringify(SEED));
    twin = await new CognitoTwinContainer(TEST_IMAGE)
      .withRegion("eu-west-1")
      .withIssuer("local")
      .withConfigFile(seedFile)
      .start();
    cognito = new CognitoIdentityProviderClient({ ...twin.getClientConfig(), maxAttempts: 1 });
  }, 120_000);
  afterAll(async () => {
    cognito?.destroy();
    await twin?.stop();
  });

  it("answers /health with the seeded pool counted", async () => {
    const res = await fetch(`${twin.getEndpoint()}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", pools: 1 });
  });

  it("serves the seeded pool through the SDK, and creates, lists and describes more", async () => {
    const seeded = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: POOL_ID }));
    expect(seeded.UserPool).toMatchObject({ Id: POOL_ID, Name: "container-seed" });
    expect(seeded.UserPool?.Arn).toBe(`arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${POOL_ID}`);

    const created = await cognito.send(new CreateUserPoolCommand({ PoolName: "made-in-test" }));
    const poolId = created.UserPool!.Id!;
    expect(poolId).toMatch(/^eu-west-1_[0-9A-Za-z]+$/);
    const client = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "web" }));
    const clientId = client.UserPoolClient!.ClientId!;

    const pools = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(pools.UserPools?.map((p) => p.Id).sort()).toEqual([POOL_ID, poolId].sort());
    const clients = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
    expect(clients.UserPoolClients).toEqual([{ ClientId: clientId, ClientName: "web", UserPoolId: poolId }]);
    const described = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: POOL_ID, ClientId: CLIENT_ID }),
    );
    expect(described.UserPoolClient).toMatchObject({ ClientId: CLIENT_ID, ClientName: "seeded-app" });
  });

  it("signs in the seeded user with tokens that verify against the container's JWKS and issuer", async () => {
    const auth = await cognito.send(
      new InitiateAuthCommand({
        ClientId: CLIENT_ID,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "seeded-user", PASSWORD: "Seeded-Passw0rd!" },
      }),
    );
    const idToken = auth.AuthenticationResult?.IdToken;
    expect(idToken).toBeTypeOf("string");
    // The issuer is the URL the host reaches the container at, which only --public-url can tell it.
    expect(twin.getIssuer(POOL_ID)).toBe(`${twin.getEndpoint()}/${POOL_ID}`);
    const { payload } = await jwtVerify(idToken!, createRemoteJWKSet(new URL(twin.getJwksUrl(POOL_ID))), {
      issuer: twin.getIssuer(POOL_ID),
      audience: CLIENT_ID,
    });
    expect(payload).toMatchObject({ "cognito:username": "seeded-user", email: "seeded@example.com", token_use: "id" });

    const discovery = (await (
      await fetch(`${twin.getEndpoint()}/${POOL_ID}/.well-known/openid-configuration`)
    ).json()) as { issuer: string };
    expect(discovery.issuer).toBe(twin.getIssuer(POOL_ID));
  });

  it("serves an RS256 JWKS for the pool and 404 for an unknown one", async () => {
    const res = await fetch(twin.getJwksUrl(POOL_ID));
    expect(res.status).toBe(200);
    const { keys } = (await res.json()) as { keys: Record<string, string>[] };
    expect(keys.length).toBeGreaterThan(0);
    expect(keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", e: "AQAB" });
    expect(keys[0]?.kid).toBeTypeOf("string");
    expect((await fetch(twin.getJwksUrl("eu-west-1_Missing"))).status).toBe(404);
  });

  it("runs as the unprivileged node user with production dependencies only", async () => {
    const uid = await twin.exec(["node", "-e", "process.stdout.write(String(process.getuid()))"]);
    expect(uid).toMatchObject({ exitCode: 0, output: "1000" });
    const resolve = (name: string) => twin.exec(["node", "-e", `require.resolve(${JSON.stringify(name)})`]);
    expect((await resolve("hono")).exitCode).toBe(0);
    expect((await resolve("jose")).exitCode).toBe(0);
    for (const dev of ["typescript", "@aws-sdk/client-cognito-identity-provider", "testcontainers", "vitest"]) {
      expect((await resolve(dev)).exitCode, dev).not.toBe(0);
    }
  });

  it("reports healthy through the image's HEALTHCHECK", async () => {
    const client = await getContainerRuntimeClient();
    const container = client.container.getById(twin.getId());
    let status = "";
    // Docker runs the first check one interval (5 s) after start; allow three.
    for (let i = 0; i < 30 && status !== "healthy"; i++) {
      status = (await container.inspect()).State.Health?.Status ?? "none";
      if (status === "unhealthy") break;
      if (status !== "healthy") await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe("healthy");
  }, 30_000);
});

describe.skipIf(!runs)("the compose example's seed file", () => {
  let twin: StartedCognitoTwinContainer;

  beforeAll(async () => {
    twin = await new CognitoTwinContainer(TEST_IMAGE)
      .withConfigFile(fileURLToPath(new URL("seed.example.json", import.meta.url)))
      .start();
  }, 120_000);
  afterAll(async () => {
    await twin?.stop();
  });

  it("loads, and its user signs in with the documented password", async () => {
    const cognito = new CognitoIdentityProviderClient({ ...twin.getClientConfig(), maxAttempts: 1 });
    try {
      const pool = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: "us-east-1_Example01" }));
      expect(pool.UserPool?.Name).toBe("example-pool");
      const auth = await cognito.send(
        new InitiateAuthCommand({
          ClientId: "exampleclient0000000000001",
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "test@example.com", PASSWORD: "Test123!" },
        }),
      );
      expect(auth.AuthenticationResult?.AccessToken).toBeTypeOf("string");
    } finally {
      cognito.destroy();
    }
  });
});

describe.skipIf(!runs)("no environment variables", () => {
  it("starts and answers in a process with no TESTCONTAINERS_* settings (engine found, reaper left out where it cannot run)", async () => {
    // A child process, since this one's environment has been adjusted by connectToEngine already.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TESTCONTAINERS_")));
    const script = `
      import { CognitoTwinContainer } from ${JSON.stringify(fileURLToPath(new URL("testcontainers.ts", import.meta.url)))};
      const twin = await new CognitoTwinContainer(${JSON.stringify(TEST_IMAGE)}).start();
      try {
        const res = await fetch(twin.getEndpoint() + "/health");
        console.log(JSON.stringify({ status: res.status, body: await res.json() }));
      } finally {
        await twin.stop();
      }`;
    const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env,
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      timeout: 90_000,
    });
    expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual({ status: 200, body: { status: "ok", pools: 0 } });
  }, 120_000);
});

// Building from an installed package runs `npm install` inside the build (about 2 min cold on
// 2 cores, seconds once the engine has the layer): in CI, or when asked.
const packageBuild = runs && (process.env.CI === "true" || process.env.COGNITO_TWIN_TEST_PACKAGE_BUILD === "1");
describe.skipIf(!packageBuild)("an image built from an installed package (no image, no sources)", () => {
  const tag = "cognito-twin:package-build-test";
  let root: string;

  beforeAll(() => {
    // What `npm install cognito-twin` leaves: package.json, the compiled command, the Dockerfile.
    const bundle = process.env[CLI_BUNDLE_ENV];
    if (!bundle) throw new Error(`${CLI_BUNDLE_ENV} is unset: run this file in the slow project`);
    root = mkdtempSync(join(tmpdir(), "cognito-twin-installed-"));
    mkdirSync(join(root, "dist", "emulator"), { recursive: true });
    mkdirSync(join(root, "docker"));
    copyFileSync(fileURLToPath(new URL("../package.json", import.meta.url)), join(root, "package.json"));
    copyFileSync(bundle, join(root, "dist", "emulator", "cli.js"));
    copyFileSync(
      fileURLToPath(new URL("package.Dockerfile", import.meta.url)),
      join(root, "docker", "package.Dockerfile"),
    );
  });
  afterAll(async () => {
    const client = await getContainerRuntimeClient();
    await client.container.dockerode
      .getImage(tag)
      .remove()
      .catch(() => undefined);
  });

  it("is built by start() when the image is missing, and serves the SDK", async () => {
    const twin = await new CognitoTwinContainer(tag)
      .withImageBuild({ packageRoot: root, log: () => undefined })
      .start();
    const cognito = new CognitoIdentityProviderClient({ ...twin.getClientConfig(), maxAttempts: 1 });
    try {
      const created = await cognito.send(new CreateUserPoolCommand({ PoolName: "from-the-package" }));
      expect(created.UserPool?.Id).toMatch(/^us-east-1_/);
      const uid = await twin.exec(["node", "-e", "process.stdout.write(String(process.getuid()))"]);
      expect(uid).toMatchObject({ exitCode: 0, output: "1000" });
    } finally {
      cognito.destroy();
      await twin.stop();
    }
  }, 600_000);
});

describe.skipIf(!runs)("container with defaults", () => {
  let twin: StartedCognitoTwinContainer;
  let stopped = false;

  beforeAll(async () => {
    twin = await new CognitoTwinContainer(TEST_IMAGE).withDataDir().start();
  }, 120_000);
  afterAll(async () => {
    if (!stopped) await twin?.stop();
  });

  it("starts empty in us-east-1 with AWS-form issuers, and reset() clears created pools", async () => {
    expect(await (await fetch(`${twin.getEndpoint()}/health`)).json()).toMatchObject({ status: "ok", pools: 0 });
    const cognito = new CognitoIdentityProviderClient({ ...twin.getClientConfig(), maxAttempts: 1 });
    try {
      expect(twin.getRegion()).toBe("us-east-1");
      const created = await cognito.send(new CreateUserPoolCommand({ PoolName: "defaults" }));
      const poolId = created.UserPool!.Id!;
      expect(poolId).toMatch(/^us-east-1_/);
      expect(twin.getIssuer(poolId)).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${poolId}`);
      const discovery = (await (
        await fetch(`${twin.getEndpoint()}/${poolId}/.well-known/openid-configuration`)
      ).json()) as { issuer: string };
      expect(discovery.issuer).toBe(twin.getIssuer(poolId));

      await twin.reset();
      const pools = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      expect(pools.UserPools).toEqual([]);
    } finally {
      cognito.destroy();
    }
  });

  it("keeps its state in the data directory across a restart", async () => {
    const cognito = new CognitoIdentityProviderClient({ ...twin.getClientConfig(), maxAttempts: 1 });
    try {
      const created = await cognito.send(new CreateUserPoolCommand({ PoolName: "survives-restart" }));
      await twin.restart({ timeout: 10_000 });
      const after = new CognitoIdentityProviderClient({ ...twin.getClientConfig(), maxAttempts: 1 });
      try {
        const pool = await after.send(new DescribeUserPoolCommand({ UserPoolId: created.UserPool!.Id! }));
        expect(pool.UserPool?.Name).toBe("survives-restart");
      } finally {
        after.destroy();
      }
    } finally {
      cognito.destroy();
    }
  }, 60_000);

  it("stops on SIGTERM by closing the server, not by being killed", async () => {
    const client = await getContainerRuntimeClient();
    const container = client.container.getById(twin.getId());
    stopped = true;
    await twin.stop({ remove: false });
    const state = (await container.inspect()).State;
    expect(state.ExitCode).toBe(0);
    const logs = await container.logs({ stdout: true, stderr: true });
    expect(logs.toString("utf8")).toContain("SIGTERM, shutting down");
    await container.remove();
  });
});
