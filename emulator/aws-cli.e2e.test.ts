// Non-JS clients against the real command: the AWS CLI (v1, botocore) running the seed guide's
// section 2 commands exactly as written plus --endpoint-url, and a boto3 script. Dummy
// credentials only; no AWS config or credentials file is read. Without `aws`, python3 or boto3
// these tests are skipped with the reason, except under CI=true, where they fail.
import { execFile, spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliProcess, REPO_ROOT, startCli } from "../test-support/cli-process.js";

const TIMEOUT = 120_000;
const REQUIRED = process.env.CI === "true";

/** Dummy credentials, a region, no config files, no instance metadata: nothing real is used. */
const AWS_ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && !k.startsWith("COGNITO_TWIN_")),
  ),
  AWS_ACCESS_KEY_ID: "x",
  AWS_SECRET_ACCESS_KEY: "y",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_PAGER: "",
};

/** Why a tool cannot be used (null when it can). */
function unavailable(command: string, args: string[]): string | null {
  const r = spawnSync(command, args, { env: AWS_ENV, encoding: "utf8", timeout: 60_000 });
  if (r.error) return `${command}: ${r.error.message}`;
  if (r.status !== 0)
    return `${command} ${args.join(" ")} exited ${r.status}: ${(r.stderr || r.stdout).trim().split("\n").pop()}`;
  return null;
}

const awsMissing = unavailable("aws", ["--version"]);
const boto3Missing = unavailable("python3", ["-c", "import boto3"]);
for (const [what, why] of [
  ["AWS CLI", awsMissing],
  ["boto3", boto3Missing],
] as const) {
  if (why && !REQUIRED) console.warn(`skipping the ${what} tests: ${why}`);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { env: AWS_ENV, encoding: "utf8", timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs shell text through bash (the guide's commands, continuation lines and quotes as printed). */
const shell = (script: string, url: string) => run("bash", ["-c", script, "guide", url]);

/** Runs `aws cognito-idp ...` against the emulator and parses its JSON output. */
async function aws(url: string, ...args: string[]): Promise<Record<string, unknown>> {
  const r = await run("aws", ["cognito-idp", ...args, "--endpoint-url", url]);
  if (r.code !== 0) throw new Error(`aws cognito-idp ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return r.stdout.trim() ? (JSON.parse(r.stdout) as Record<string, unknown>) : {};
}

// Section 2.1 and 2.2 of the seed guide, verbatim; "$1" is the emulator's URL.
const GUIDE_CREATE_POOL = `aws cognito-idp create-user-pool \\
--region us-east-1 \\
--pool-name Legatera-UserPool \\
--policies '{"PasswordPolicy":{"MinimumLength":8,"RequireUppercase":true,"RequireLowercase":true,"RequireNumbers":true,"RequireSymbols":true}}' \\
--username-attributes email \\
--auto-verified-attributes email \\
--schema '[{"Name":"email","Required":true,"Mutable":true},{"Name":"name","Required":true,"Mutable":true}]' \\
--mfa-configuration OFF`;

const GUIDE_CREATE_CLIENT = `aws cognito-idp create-user-pool-client \\
--user-pool-id [YOUR_USER_POOL_ID] \\
--client-name legatera-app-client \\
--no-generate-secret \\
--explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH \\
--supported-identity-providers COGNITO`;

let cli: CliProcess | undefined;
const needed = (!awsMissing || !boto3Missing || REQUIRED) as boolean;
beforeAll(async () => {
  if (needed) cli = await startCli(["--port", "0", "--log-level", "silent"]);
}, TIMEOUT);
afterAll(async () => {
  await cli?.stop("SIGTERM");
});

/** Each test starts from an empty emulator, whatever ran before it. */
async function resetTwin(): Promise<void> {
  const res = await fetch(`${cli!.url}/_twin/reset`, { method: "POST" });
  expect(res.status).toBe(200);
}

describe.skipIf(awsMissing !== null && !REQUIRED)(`AWS CLI${awsMissing ? ` (unavailable: ${awsMissing})` : ""}`, () => {
  it("runs the seed guide's section 2 commands as written, then describe, list, update and delete", {
    timeout: TIMEOUT,
  }, async () => {
    if (awsMissing) throw new Error(`CI=true, but the AWS CLI cannot run: ${awsMissing}`);
    const url = cli!.url;
    await resetTwin();

    const created = await shell(`${GUIDE_CREATE_POOL} --endpoint-url "$1"`, url);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const pool = (JSON.parse(created.stdout) as { UserPool: Record<string, unknown> }).UserPool;
    const poolId = pool.Id as string;
    expect(poolId).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(pool).toMatchObject({
      Name: "Legatera-UserPool",
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
      MfaConfiguration: "OFF",
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    });
    // AWS CLI v1 prints the epoch seconds it received (a string would have failed in botocore).
    expect(typeof pool.CreationDate).toBe("number");
    expect(Math.abs((pool.CreationDate as number) * 1000 - Date.now())).toBeLessThan(600_000);

    const clientRun = await shell(
      `${GUIDE_CREATE_CLIENT.replace("[YOUR_USER_POOL_ID]", poolId)} --endpoint-url "$1"`,
      url,
    );
    expect(clientRun.stderr).toBe("");
    expect(clientRun.code).toBe(0);
    const client = (JSON.parse(clientRun.stdout) as { UserPoolClient: Record<string, unknown> }).UserPoolClient;
    const clientId = client.ClientId as string;
    expect(clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(client).toMatchObject({
      UserPoolId: poolId,
      ClientName: "legatera-app-client",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      SupportedIdentityProviders: ["COGNITO"],
      PreventUserExistenceErrors: "LEGACY",
    });
    expect(client).not.toHaveProperty("ClientSecret");

    const described = await aws(url, "describe-user-pool", "--user-pool-id", poolId);
    expect((described.UserPool as Record<string, unknown>).Arn).toBe(
      `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${poolId}`,
    );
    const describedClient = await aws(
      url,
      "describe-user-pool-client",
      "--user-pool-id",
      poolId,
      "--client-id",
      clientId,
    );
    expect(describedClient.UserPoolClient).toEqual(client);

    // With --max-results given, AWS CLI v1 answers one page and prints NextToken for the next.
    for (const name of ["second", "third"]) await aws(url, "create-user-pool", "--pool-name", name);
    const first = await aws(url, "list-user-pools", "--max-results", "2");
    expect(first.UserPools).toHaveLength(2);
    expect(typeof first.NextToken).toBe("string");
    const second = await aws(url, "list-user-pools", "--max-results", "2", "--next-token", first.NextToken as string);
    expect(second.UserPools).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    const names = [...(first.UserPools as { Name: string }[]), ...(second.UserPools as { Name: string }[])].map(
      (p) => p.Name,
    );
    expect(names.sort()).toEqual(["Legatera-UserPool", "second", "third"]);
    const clients = await aws(url, "list-user-pool-clients", "--user-pool-id", poolId);
    expect(clients.UserPoolClients).toEqual([
      { ClientId: clientId, UserPoolId: poolId, ClientName: "legatera-app-client" },
    ]);

    const updated = await aws(
      url,
      "update-user-pool-client",
      "--user-pool-id",
      poolId,
      "--client-id",
      clientId,
      "--client-name",
      "renamed",
      "--access-token-validity",
      "2",
      "--token-validity-units",
      "AccessToken=hours",
    );
    expect(updated.UserPoolClient).toMatchObject({
      ClientName: "renamed",
      AccessTokenValidity: 2,
      TokenValidityUnits: { AccessToken: "hours" },
    });
    await aws(
      url,
      "update-user-pool",
      "--user-pool-id",
      poolId,
      "--deletion-protection",
      "ACTIVE",
      "--auto-verified-attributes",
      "email",
    );
    const protectedPool = await run("aws", [
      "cognito-idp",
      "delete-user-pool",
      "--user-pool-id",
      poolId,
      "--endpoint-url",
      url,
    ]);
    expect(protectedPool.code).not.toBe(0);
    expect(protectedPool.stderr).toContain(
      "An error occurred (InvalidParameterException) when calling the DeleteUserPool operation: The user pool cannot be deleted because deletion protection is activated.",
    );
    await aws(url, "update-user-pool", "--user-pool-id", poolId, "--deletion-protection", "INACTIVE");

    await aws(url, "delete-user-pool-client", "--user-pool-id", poolId, "--client-id", clientId);
    await aws(url, "delete-user-pool", "--user-pool-id", poolId);
    const gone = await run("aws", [
      "cognito-idp",
      "describe-user-pool",
      "--user-pool-id",
      poolId,
      "--endpoint-url",
      url,
    ]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr.trim()).toBe(
      `An error occurred (ResourceNotFoundException) when calling the DescribeUserPool operation: User pool ${poolId} does not exist.`,
    );
  });

  it("shows validation failures as InvalidParameterException with Coral's message", { timeout: TIMEOUT }, async () => {
    if (awsMissing) throw new Error(`CI=true, but the AWS CLI cannot run: ${awsMissing}`);
    // botocore checks minimum lengths itself, but not patterns: this one reaches the emulator.
    const r = await run("aws", [
      "cognito-idp",
      "describe-user-pool",
      "--user-pool-id",
      "not-a-pool-id",
      "--endpoint-url",
      cli!.url,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(
      "An error occurred (InvalidParameterException) when calling the DescribeUserPool operation: 1 validation error detected: Value 'not-a-pool-id' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
    );
  });
});

describe.skipIf(boto3Missing !== null && !REQUIRED)(
  `boto3${boto3Missing ? ` (unavailable: ${boto3Missing})` : ""}`,
  () => {
    it("creates, uses, pages, updates and deletes the guide's pool and client", { timeout: TIMEOUT }, async () => {
      if (boto3Missing) throw new Error(`CI=true, but boto3 cannot be imported: ${boto3Missing}`);
      await resetTwin();
      const r = await run("python3", [join(REPO_ROOT, "test-support", "boto3-flow.py"), cli!.url]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.stdout.trim().split("\n").pop()!) as {
        ok: boolean;
        poolId: string;
        clientId: string;
        pages: number;
      };
      expect(summary).toMatchObject({ ok: true, pages: 3 });
      expect(summary.poolId).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    });
  },
);
