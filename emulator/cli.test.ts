// The cognito-twin command as a user runs it: arguments, environment, the seed file, the
// health and reset routes, and a clean stop on SIGINT/SIGTERM. Each test spawns the real CLI.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type CliProcess, runCli, startCli } from "../test-support/cli-process.js";
import { GUIDE_CLIENT, GUIDE_POOL } from "../test-support/seed-guide.js";
import { sdkClient } from "../test-support/twin.js";
import type { SeedFile } from "./seed.js";

const TIMEOUT = 60_000;
const dir = mkdtempSync(join(tmpdir(), "twin-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Every emulator a test starts is stopped even when the test fails half-way.
const running: CliProcess[] = [];
async function start(args: string[], env: Record<string, string> = {}): Promise<CliProcess> {
  const cli = await startCli(args, env);
  running.push(cli);
  return cli;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop("SIGKILL")));
});

function writeSeed(name: string, seed: SeedFile): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(seed, null, 2));
  return file;
}

const SEED: SeedFile = {
  UserPools: [
    {
      // The seed guide's pool and app client, with fixed ids.
      Id: "us-east-1_SeedPool1",
      ...GUIDE_POOL,
      Clients: [
        { ...GUIDE_CLIENT, ClientId: "seedclientaaaaaaaaaaaaaaa1" },
        {
          ClientName: "backend",
          ClientId: "seedclientbbbbbbbbbbbbbbb2",
          ClientSecret: "fixed_secret_of_the_backend_client_0123456789",
        },
      ],
    },
    { Id: "eu-west-1_SeedPool2", PoolName: "second" },
  ],
};

describe("arguments", () => {
  it("prints the usage for --help and exits 0", { timeout: TIMEOUT }, async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: cognito-twin/);
    for (const option of [
      "--host",
      "--port",
      "--region",
      "--config",
      "--issuer",
      "--account-id",
      "--log-level",
      "--max-body",
      "--allow-unsigned",
      "--help",
    ]) {
      expect(r.stdout).toContain(option);
    }
    expect(r.stderr).toBe("");
  });

  it("exits 2 with a clear message and the usage for bad arguments", { timeout: TIMEOUT }, async () => {
    const unknown = await runCli(["--bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^cognito-twin: Unknown option '--bogus'/);
    expect(unknown.stderr).toContain("Usage: cognito-twin");
    expect(unknown.stdout).toBe("");

    const port = await runCli(["--port", "nine"]);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/^cognito-twin: port must be an integer, not "nine"/);

    const region = await runCli([], { COGNITO_TWIN_REGION: "local" });
    expect(region.code).toBe(2);
    expect(region.stderr).toMatch(/^cognito-twin: region "local" is not an AWS region name/);
  });

  it("exits 2 naming the config file when it is missing, not JSON, or cannot be seeded", {
    timeout: TIMEOUT,
  }, async () => {
    const missing = await runCli(["--config", join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`cannot read config file ${join(dir, "nope.json")}`);

    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ UserPools: ");
    const notJson = await runCli(["--config", broken]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain(`config file ${broken} is not valid JSON`);

    const bad = writeSeed("bad-id.json", { UserPools: [{ Id: "no underscore", PoolName: "x" }] });
    const badId = await runCli(["--config", bad]);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toBe(
      `cognito-twin: config file ${bad}: UserPools[0] (no underscore): Id must look like us-east-1_AbCdEf123\n`,
    );

    // Checked as strictly as the API before anything is created: the entry is named by its path.
    const bogus = writeSeed("bogus.json", {
      UserPools: [
        {
          Id: "us-east-1_Bogus0001",
          PoolName: "b",
          Clients: [{ ClientName: "c", ExplicitAuthFlows: ["BOGUS" as never] }],
        },
      ],
    });
    const enumValue = await runCli(["--config", bogus]);
    expect(enumValue.code).toBe(2);
    expect(enumValue.stderr).toContain(
      `cognito-twin: config file ${bogus}: Value 'BOGUS' at 'UserPools[0].Clients[0].ExplicitAuthFlows[0]'`,
    );

    const dup = writeSeed("dup.json", {
      UserPools: [
        { Id: "us-east-1_Twice0001", PoolName: "a" },
        { Id: "us-east-1_Twice0001", PoolName: "b" },
      ],
    });
    const twice = await runCli(["--config", dup]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("UserPools[1] (us-east-1_Twice0001): InvalidParameterException");
  });
});

describe("serving", () => {
  it("picks a free port for --port 0, prints the real URL, and answers /health and the API", {
    timeout: TIMEOUT,
  }, async () => {
    const cli = await start(["--port", "0"]);
    expect(cli.readyLine).toMatch(/^cognito-twin ready on http:\/\/127\.0\.0\.1:\d+ \(region us-east-1\)$/);
    expect(Number(new URL(cli.url).port)).toBeGreaterThan(0);

    const health = await fetch(`${cli.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", pools: 0 });

    const sdk = sdkClient(cli.url);
    try {
      expect((await sdk.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools).toEqual([]);
    } finally {
      sdk.destroy();
    }
  });

  it("reads its settings from COGNITO_TWIN_* environment variables", { timeout: TIMEOUT }, async () => {
    const cli = await start([], {
      COGNITO_TWIN_PORT: "0",
      COGNITO_TWIN_HOST: "127.0.0.1",
      COGNITO_TWIN_REGION: "eu-central-1",
      COGNITO_TWIN_ACCOUNT_ID: "123456789012",
      COGNITO_TWIN_LOG_LEVEL: "silent",
    });
    expect(cli.readyLine).toMatch(/^cognito-twin ready on http:\/\/127\.0\.0\.1:\d+ \(region eu-central-1\)$/);
    const sdk = sdkClient(cli.url, "eu-central-1");
    try {
      const { UserPool } = await sdk.send(new CreateUserPoolCommand({ PoolName: "env" }));
      expect(UserPool!.Arn).toBe(`arn:aws:cognito-idp:eu-central-1:123456789012:userpool/${UserPool!.Id}`);
    } finally {
      sdk.destroy();
    }
  });

  it("warns at start when other machines can reach the test controls without a token", {
    timeout: TIMEOUT,
  }, async () => {
    // The warning follows the ready line; a request answered means the start-up code has run.
    const started = async (env: Record<string, string> = {}, host = "0.0.0.0") => {
      const cli = await start(["--port", "0", "--host", host], env);
      expect((await fetch(`${cli.url}/health`)).status).toBe(200);
      return cli;
    };
    const open = await started();
    expect(await open.untilStderr(/warning/)).toMatch(
      /warning: listening on 0\.0\.0\.0.*set --control-token \(COGNITO_TWIN_CONTROL_TOKEN\)/,
    );
    const locked = await started({ COGNITO_TWIN_CONTROL_TOKEN: "t0ken" });
    expect((await fetch(`${locked.url}/_twin/state`)).status).toBe(401);
    expect(locked.stderr()).not.toMatch(/warning/);
    const local = await started({}, "127.0.0.1");
    expect(local.stderr()).not.toMatch(/warning/);
  });

  it("exits 1 when the port is taken", { timeout: TIMEOUT }, async () => {
    const first = await start(["--port", "0", "--log-level", "silent"]);
    const port = new URL(first.url).port;
    const second = await runCli(["--port", port]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^cognito-twin: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
  });
});

describe("--config seed", () => {
  it("creates the file's pools and clients with their fixed ids", { timeout: TIMEOUT }, async () => {
    const cli = await start(["--port", "0", "--config", writeSeed("seed.json", SEED)]);
    // The ready line says what the seed created.
    expect(cli.readyLine).toMatch(
      /^cognito-twin ready on http:\/\/127\.0\.0\.1:\d+ \(region us-east-1; seeded 2 pools, 2 clients, 0 users\)$/,
    );
    expect(await (await fetch(`${cli.url}/health`)).json()).toEqual({ status: "ok", pools: 2 });
    const sdk = sdkClient(cli.url);
    try {
      const pool = (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: "us-east-1_SeedPool1" }))).UserPool!;
      expect(pool).toMatchObject({
        Id: "us-east-1_SeedPool1",
        Name: GUIDE_POOL.PoolName,
        UsernameAttributes: ["email"],
        Arn: "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_SeedPool1",
      });
      expect(pool.SchemaAttributes!.filter((a) => a.Required).map((a) => a.Name)).toEqual(["sub", "name", "email"]);
      // A pool's region comes from its id.
      const second = (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: "eu-west-1_SeedPool2" }))).UserPool!;
      expect(second.Arn).toBe("arn:aws:cognito-idp:eu-west-1:000000000000:userpool/eu-west-1_SeedPool2");

      const app = (
        await sdk.send(
          new DescribeUserPoolClientCommand({
            UserPoolId: "us-east-1_SeedPool1",
            ClientId: "seedclientaaaaaaaaaaaaaaa1",
          }),
        )
      ).UserPoolClient!;
      expect(app).toMatchObject({
        ClientName: GUIDE_CLIENT.ClientName,
        ExplicitAuthFlows: GUIDE_CLIENT.ExplicitAuthFlows,
        PreventUserExistenceErrors: "LEGACY",
      });
      expect(app.ClientSecret).toBeUndefined();
      const backend = (
        await sdk.send(
          new DescribeUserPoolClientCommand({
            UserPoolId: "us-east-1_SeedPool1",
            ClientId: "seedclientbbbbbbbbbbbbbbb2",
          }),
        )
      ).UserPoolClient!;
      expect(backend.ClientSecret).toBe("fixed_secret_of_the_backend_client_0123456789");
    } finally {
      sdk.destroy();
    }
  });

  it("creates users with permanent passwords and groups, ready to sign in", { timeout: TIMEOUT }, async () => {
    const file = writeSeed("seed-users.json", {
      UserPools: [
        {
          Id: "us-east-1_SeedUsers1",
          PoolName: "with-users",
          UsernameAttributes: ["email"],
          Clients: [
            {
              ClientName: "app",
              ClientId: "seedclientcccccccccccccccc",
              ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            },
          ],
          Groups: [{ GroupName: "admins", Precedence: 1 }],
          Users: [
            {
              Username: "ann@example.com",
              Password: "Passw0rd!",
              Attributes: { email: "ann@example.com", email_verified: "true", name: "Ann" },
              Groups: ["admins"],
            },
          ],
        },
      ],
    });
    const cli = await start(["--port", "0", "--config", file]);
    const sdk = sdkClient(cli.url);
    try {
      const auth = await sdk.send(
        new InitiateAuthCommand({
          ClientId: "seedclientcccccccccccccccc",
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "ann@example.com", PASSWORD: "Passw0rd!" },
        }),
      );
      const idToken = auth.AuthenticationResult!.IdToken!;
      const claims = JSON.parse(Buffer.from(idToken.split(".")[1]!, "base64url").toString("utf8")) as Record<
        string,
        unknown
      >;
      expect(claims).toMatchObject({
        email: "ann@example.com",
        name: "Ann",
        "cognito:groups": ["admins"],
        aud: "seedclientcccccccccccccccc",
      });
      expect(claims.iss).toBe("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_SeedUsers1");
    } finally {
      sdk.destroy();
    }
  });

  it("is read from COGNITO_TWIN_CONFIG too", { timeout: TIMEOUT }, async () => {
    const cli = await start(["--port", "0"], { COGNITO_TWIN_CONFIG: writeSeed("seed-env.json", SEED) });
    expect(await (await fetch(`${cli.url}/health`)).json()).toEqual({ status: "ok", pools: 2 });
  });

  it("POST /_twin/reset clears everything and applies the seed again", { timeout: TIMEOUT }, async () => {
    const cli = await start(["--port", "0", "--config", writeSeed("seed-reset.json", SEED)]);
    const sdk = sdkClient(cli.url);
    try {
      await sdk.send(new CreateUserPoolCommand({ PoolName: "made-by-a-test" }));
      await sdk.send(
        new DeleteUserPoolClientCommand({ UserPoolId: "us-east-1_SeedPool1", ClientId: "seedclientaaaaaaaaaaaaaaa1" }),
      );
      expect((await sdk.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools).toHaveLength(3);

      const reset = await fetch(`${cli.url}/_twin/reset`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(reset.status).toBe(200);
      expect(await reset.json()).toEqual({ reset: true });

      const pools = (await sdk.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools!;
      expect(pools.map((p) => p.Id).sort()).toEqual(["eu-west-1_SeedPool2", "us-east-1_SeedPool1"]);
      const clients = (await sdk.send(new ListUserPoolClientsCommand({ UserPoolId: "us-east-1_SeedPool1" })))
        .UserPoolClients!;
      expect(clients.map((c) => c.ClientId).sort()).toEqual([
        "seedclientaaaaaaaaaaaaaaa1",
        "seedclientbbbbbbbbbbbbbbb2",
      ]);
    } finally {
      sdk.destroy();
    }
  });

  it("POST /_twin/reset without a seed leaves no pools", { timeout: TIMEOUT }, async () => {
    const cli = await start(["--port", "0", "--log-level", "silent"]);
    const sdk = sdkClient(cli.url);
    try {
      await sdk.send(new CreateUserPoolCommand({ PoolName: "temporary" }));
      expect(await (await fetch(`${cli.url}/health`)).json()).toEqual({ status: "ok", pools: 1 });
      await fetch(`${cli.url}/_twin/reset`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(await (await fetch(`${cli.url}/health`)).json()).toEqual({ status: "ok", pools: 0 });
    } finally {
      sdk.destroy();
    }
  });
});

describe("stopping", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`stops cleanly on ${signal} with exit code 0, even with a kept-alive connection open`, {
      timeout: TIMEOUT,
    }, async () => {
      const cli = await start(["--port", "0"]);
      // The SDK keeps its connection alive; the stop must not wait for it to go idle.
      const sdk = sdkClient(cli.url);
      await sdk.send(new ListUserPoolsCommand({ MaxResults: 1 }));
      const result = await cli.stop(signal);
      sdk.destroy();
      expect(result.signal).toBeNull();
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`cognito-twin: ${signal}, shutting down`);
      expect(result.stderr).toBe("");
      await expect(fetch(`${cli.url}/health`)).rejects.toThrow();
    });
  }
});
