// The AWS CLI (v1, botocore) against the real command, running the seed guide's section 2
// commands exactly as written plus --endpoint-url (boto3 has its own suite: tests-py/, run by
// emulator/boto3.test.ts). Dummy credentials only; no AWS config or credentials file is read.
// Without `aws` these tests are skipped with the reason, except under CI=true, where they fail.
import { execFile, spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliProcess, startCli } from "../test-support/cli-process.js";
import { GUIDE_CLIENT, GUIDE_CREATE_CLIENT, GUIDE_CREATE_POOL, GUIDE_POOL } from "../test-support/seed-guide.js";

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
if (awsMissing && !REQUIRED) console.warn(`skipping the AWS CLI tests: ${awsMissing}`);

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

let cli: CliProcess | undefined;
const needed = (!awsMissing || REQUIRED) as boolean;
beforeAll(async () => {
  if (needed) cli = await startCli(["--port", "0", "--log-level", "silent"]);
}, TIMEOUT);
afterAll(async () => {
  await cli?.stop("SIGTERM");
});

/** Each test starts from an empty emulator, whatever ran before it. */
async function resetTwin(): Promise<void> {
  const res = await fetch(`${cli!.url}/_twin/reset`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  expect(res.status).toBe(200);
}

describe.skipIf(awsMissing !== null && !REQUIRED)(`AWS CLI${awsMissing ? ` (unavailable: ${awsMissing})` : ""}`, () => {
  it("runs the seed guide's section 2 commands as written, then describe, list, update and delete", {
    timeout: TIMEOUT,
  }, async () => {
    if (awsMissing) throw new Error(`CI=true, but the AWS CLI cannot run: ${awsMissing}`);
    const url = cli!.url;
    await resetTwin();

    // The guide's commands; "$1" is the emulator's URL.
    const created = await shell(`${GUIDE_CREATE_POOL} --endpoint-url "$1"`, url);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const pool = (JSON.parse(created.stdout) as { UserPool: Record<string, unknown> }).UserPool;
    const poolId = pool.Id as string;
    expect(poolId).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(pool).toMatchObject({
      Name: GUIDE_POOL.PoolName,
      UsernameAttributes: GUIDE_POOL.UsernameAttributes,
      AutoVerifiedAttributes: GUIDE_POOL.AutoVerifiedAttributes,
      MfaConfiguration: GUIDE_POOL.MfaConfiguration,
      Policies: GUIDE_POOL.Policies,
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
      ClientName: GUIDE_CLIENT.ClientName,
      ExplicitAuthFlows: GUIDE_CLIENT.ExplicitAuthFlows,
      SupportedIdentityProviders: GUIDE_CLIENT.SupportedIdentityProviders,
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
    expect(names.sort()).toEqual([GUIDE_POOL.PoolName, "second", "third"]);
    const clients = await aws(url, "list-user-pool-clients", "--user-pool-id", poolId);
    expect(clients.UserPoolClients).toEqual([
      { ClientId: clientId, UserPoolId: poolId, ClientName: GUIDE_CLIENT.ClientName },
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
