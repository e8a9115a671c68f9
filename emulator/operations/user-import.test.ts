// User import jobs end to end through SDK v3: GetCSVHeader, CreateUserImportJob, the CSV PUT to
// the PreSignedUrl this emulator serves, StartUserImportJob, DescribeUserImportJob polled until
// the run ends, ListUserImportJobs, StopUserImportJob, and the imported users' password reset.
import {
  AddCustomAttributesCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  CreateUserImportJobCommand,
  CreateUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserImportJobCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetCSVHeaderCommand,
  InitiateAuthCommand,
  ListUserImportJobsCommand,
  ListUsersCommand,
  StartUserImportJobCommand,
  StopUserImportJobCommand,
  type UserImportJobType,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, createUser, inbox, PASSWORD } from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";
import { ManualClock } from "../core/clock.js";

let t: TestTwin;
const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
const ROLE = "arn:aws:iam::123456789012:role/CognitoImport";
beforeAll(async () => {
  t = await startTwin({}, { clock });
});
afterAll(() => t.close());

async function expectError(promise: Promise<unknown>, name: string, message?: string | RegExp) {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  expect(err, `expected ${name}, got success`).toBeDefined();
  expect(err!.name).toBe(name);
  expect(err!.$metadata?.httpStatusCode).toBe(400);
  if (typeof message === "string") expect(err!.message).toBe(message);
  else if (message) expect(err!.message).toMatch(message);
}

/** A CSV in GetCSVHeader's columns: each row names the columns it sets. */
async function csvFor(poolId: string, rows: Record<string, string>[]): Promise<string> {
  const { CSVHeader } = await t.cognito.send(new GetCSVHeaderCommand({ UserPoolId: poolId }));
  const lines = [CSVHeader!.join(",")];
  for (const row of rows)
    lines.push(CSVHeader!.map((c) => row[c] ?? (c === "cognito:mfa_enabled" ? "false" : "")).join(","));
  return `${lines.join("\n")}\n`;
}

async function createJob(poolId: string, name = "import-test"): Promise<UserImportJobType> {
  const { UserImportJob } = await t.cognito.send(
    new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: name, CloudWatchLogsRoleArn: ROLE }),
  );
  return UserImportJob!;
}

function upload(job: UserImportJobType, body: string | Uint8Array, headers: Record<string, string> = {}) {
  return fetch(job.PreSignedUrl!, {
    method: "PUT",
    body,
    headers: { "x-amz-server-side-encryption": "aws:kms", "content-type": "text/csv", ...headers },
  });
}

/** Polls DescribeUserImportJob until the job leaves Pending/InProgress/Stopping. */
async function settled(poolId: string, jobId: string): Promise<UserImportJobType> {
  for (let i = 0; i < 2000; i++) {
    const { UserImportJob } = await t.cognito.send(
      new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }),
    );
    if (!["Pending", "InProgress", "Stopping"].includes(UserImportJob!.Status!)) return UserImportJob!;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error("the import job did not finish");
}

async function importRows(poolId: string, csv: string): Promise<UserImportJobType> {
  const job = await createJob(poolId);
  expect((await upload(job, csv)).status).toBe(200);
  await t.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
  return settled(poolId, job.JobId!);
}

async function logOf(jobId: string): Promise<string[]> {
  const res = await fetch(`${t.url}/_twin/user-import/${jobId}/log`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: { message: string }[] }).events.map((e) => e.message);
}

describe("GetCSVHeader", () => {
  it("lists the schema's attributes (custom ones too, sub left out), then cognito:mfa_enabled and cognito:username", async () => {
    const poolId = await createPool(t, {
      Schema: [{ Name: "tier", AttributeDataType: "String", Mutable: true }],
    });
    const { CSVHeader, UserPoolId } = await t.cognito.send(new GetCSVHeaderCommand({ UserPoolId: poolId }));
    expect(UserPoolId).toBe(poolId);
    expect(CSVHeader).toEqual([
      "name",
      "given_name",
      "family_name",
      "middle_name",
      "nickname",
      "preferred_username",
      "profile",
      "picture",
      "website",
      "email",
      "email_verified",
      "gender",
      "birthdate",
      "zoneinfo",
      "locale",
      "phone_number",
      "phone_number_verified",
      "address",
      "updated_at",
      "custom:tier",
      "cognito:mfa_enabled",
      "cognito:username",
    ]);
  });

  it("answers ResourceNotFoundException for an unknown pool", async () => {
    await expectError(
      t.cognito.send(new GetCSVHeaderCommand({ UserPoolId: "us-east-1_nothere" })),
      "ResourceNotFoundException",
    );
  });
});

describe("CreateUserImportJob and the pre-signed URL", () => {
  it("answers Cognito's job shape, with a PreSignedUrl on this emulator shaped like S3's", async () => {
    const poolId = await createPool(t);
    const job = await createJob(poolId, "first");
    expect(job).toMatchObject({
      JobName: "first",
      UserPoolId: poolId,
      Status: "Created",
      CloudWatchLogsRoleArn: ROLE,
      ImportedUsers: 0,
      SkippedUsers: 0,
      FailedUsers: 0,
      CreationDate: new Date(clock.now()),
    });
    expect(job.JobId).toMatch(/^import-[0-9a-zA-Z]{10}$/);
    const url = new URL(job.PreSignedUrl!);
    expect(url.origin).toBe(t.url);
    expect(url.pathname).toBe(
      `/_user-import/000000000000/${poolId}/${job.JobId}`.replace("000000000000", url.pathname.split("/")[2]!),
    );
    expect(url.searchParams.get("X-Amz-Expires")).toBe("899");
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("host;x-amz-server-side-encryption");
    const described = await t.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
    expect(described.UserImportJob).toEqual(job);
  });

  it("refuses a PUT without x-amz-server-side-encryption, with a wrong signature, or after 899 seconds, as S3 does", async () => {
    const poolId = await createPool(t);
    const job = await createJob(poolId);
    const bare = await fetch(job.PreSignedUrl!, { method: "PUT", body: "x" });
    expect(bare.status).toBe(403);
    expect(await bare.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
    const forged = new URL(job.PreSignedUrl!);
    forged.searchParams.set("X-Amz-Signature", "0".repeat(64));
    const wrong = await upload({ PreSignedUrl: forged.toString() }, "x");
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain("SignatureDoesNotMatch");
    clock.advance(900);
    const late = await upload(job, "x");
    expect(late.status).toBe(403);
    expect(await late.text()).toContain("Request has expired");
  });

  it("an upload over 100 MB is refused with EntityTooLarge, and nothing is stored", async () => {
    const poolId = await createPool(t);
    const job = await createJob(poolId);
    const url = new URL(job.PreSignedUrl!);
    // In-process: a body that declares more than S3's limit is refused by its Content-Length alone.
    const res = await t.twin.app.request(`${url.pathname}${url.search}`, {
      method: "PUT",
      body: "x",
      headers: { "x-amz-server-side-encryption": "aws:kms", "content-length": String(100 * 1024 * 1024 + 1) },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<Code>EntityTooLarge</Code>");
    await t.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
    expect((await settled(poolId, job.JobId!)).CompletionMessage).toMatch(/No CSV file was uploaded/);
  });

  it("a Created job expires after 24 hours and can no longer be started", async () => {
    const poolId = await createPool(t);
    const job = await createJob(poolId);
    clock.advance(24 * 3600);
    const { UserImportJob } = await t.cognito.send(
      new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }),
    );
    expect(UserImportJob!.Status).toBe("Expired");
    await expectError(
      t.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! })),
      "PreconditionNotMetException",
      `Import job ${job.JobId} cannot be started: its status is Expired.`,
    );
  });

  it("answers ResourceNotFoundException for an unknown job", async () => {
    const poolId = await createPool(t);
    await expectError(
      t.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: "import-nothere123" })),
      "ResourceNotFoundException",
      "Import job import-nothere123 does not exist.",
    );
  });
});

describe("StartUserImportJob", () => {
  it("imports the rows as RESET_REQUIRED users; they reset their password and sign in", async () => {
    const poolId = await createPool(t);
    const csv = await csvFor(poolId, [
      { "cognito:username": "ada", email: "ada@example.com", email_verified: "True", given_name: "Ada" },
      { "cognito:username": "grace", email: "grace@example.com", email_verified: "true" },
    ]);
    const job = await importRows(poolId, csv);
    expect(job).toMatchObject({ Status: "Succeeded", ImportedUsers: 2, SkippedUsers: 0, FailedUsers: 0 });
    expect(job.CompletionMessage).toBe("Import Job Completed Successfully.");
    expect(job.StartDate).toBeInstanceOf(Date);
    expect(job.CompletionDate).toBeInstanceOf(Date);
    const ada = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "ada" }));
    expect(ada.UserStatus).toBe("RESET_REQUIRED");
    expect(ada.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: "email", Value: "ada@example.com" },
        { Name: "email_verified", Value: "true" },
        { Name: "given_name", Value: "Ada" },
      ]),
    );
    expect(await logOf(job.JobId!)).toEqual([
      "[SUCCEEDED] Line Number 2 - The import succeeded.",
      "[SUCCEEDED] Line Number 3 - The import succeeded.",
    ]);

    const { UserPoolClient } = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "app",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
      }),
    );
    const ClientId = UserPoolClient!.ClientId!;
    await expectError(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "ada", PASSWORD },
        }),
      ),
      "PasswordResetRequiredException",
    );
    await t.cognito.send(new ForgotPasswordCommand({ ClientId, Username: "ada" }));
    const code = (await inbox(t, poolId, "ada")).find((m) => m.reason === "ForgotPassword")!.code!;
    await t.cognito.send(
      new ConfirmForgotPasswordCommand({ ClientId, Username: "ada", ConfirmationCode: code, Password: PASSWORD }),
    );
    const signedIn = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "ada", PASSWORD },
      }),
    );
    expect(signedIn.AuthenticationResult?.AccessToken).toBeDefined();
  });

  it("skips users that exist (never overwriting them) and fails bad rows, reporting each line", async () => {
    const poolId = await createPool(t);
    await createUser(t, poolId, "taken", { attributes: { email: "taken@example.com" } });
    const before = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "taken" }));
    const csv = await csvFor(poolId, [
      { "cognito:username": "taken", email: "other@example.com", email_verified: "true" },
      { "cognito:username": "twice", email: "a@example.com", email_verified: "true" },
      { "cognito:username": "twice", email: "b@example.com", email_verified: "true" },
      { "cognito:username": "unverified", email: "u@example.com", email_verified: "false" },
      { "cognito:username": "bademail", email: "not-an-email", email_verified: "true" },
      { "cognito:username": "", email: "x@example.com", email_verified: "true" },
      { "cognito:username": "mfa", email: "m@example.com", email_verified: "true", "cognito:mfa_enabled": "maybe" },
    ]);
    const job = await importRows(poolId, `${csv}short,row\n`);
    expect(job).toMatchObject({ Status: "Succeeded", ImportedUsers: 1, SkippedUsers: 2, FailedUsers: 5 });
    const log = await logOf(job.JobId!);
    expect(log).toEqual([
      "[SKIPPED] Line Number 2 - The user already exists.",
      "[SUCCEEDED] Line Number 3 - The import succeeded.",
      "[SKIPPED] Line Number 4 - The user already exists.",
      "[FAILED] Line Number 5 - The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).",
      "[FAILED] Line Number 6 - Invalid email address format.",
      "[FAILED] Line Number 7 - The cognito:username value is missing.",
      "[FAILED] Line Number 8 - The cognito:mfa_enabled value must be true or false.",
      "[FAILED] Line Number 9 - The row has 2 values, but the header has 21 columns.",
    ]);
    const after = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "taken" }));
    expect({ ...after, $metadata: undefined }).toEqual({ ...before, $metadata: undefined });
    const twice = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "twice" }));
    expect(twice.UserAttributes).toContainEqual({ Name: "email", Value: "a@example.com" });
  });

  it("takes quoted values and AWS's backslash-escaped commas", async () => {
    const poolId = await createPool(t);
    const csv = await csvFor(poolId, [
      { "cognito:username": "q", email: "q@example.com", email_verified: "true", address: '"1 Main St, Springfield"' },
      { "cognito:username": "b", email: "b@example.com", email_verified: "true", address: "2 Elm St\\, Shelbyville" },
    ]);
    const job = await importRows(poolId, csv);
    expect(job).toMatchObject({ Status: "Succeeded", ImportedUsers: 2 });
    const q = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "q" }));
    expect(q.UserAttributes).toContainEqual({ Name: "address", Value: "1 Main St, Springfield" });
    const b = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "b" }));
    expect(b.UserAttributes).toContainEqual({ Name: "address", Value: "2 Elm St, Shelbyville" });
  });

  it("fails the job for a wrong header, an empty file, bad UTF-8, broken quoting or no upload", async () => {
    const poolId = await createPool(t);
    const header = (await csvFor(poolId, [])).trim();
    const cases: [string | Uint8Array | undefined, RegExp][] = [
      ["cognito:username,email\nx,x@example.com\n", /header is not the user pool's GetCSVHeader columns/],
      ["", /empty/],
      [Buffer.concat([Buffer.from(`${header}\n`), Buffer.from([0xff, 0xfe, 0x2c])]), /not valid UTF-8/],
      [`${header}\n"unclosed,${",".repeat(19)}\n`, /could not be parsed/],
      [undefined, /No CSV file was uploaded/],
    ];
    for (const [body, message] of cases) {
      const job = await createJob(poolId);
      if (body !== undefined) expect((await upload(job, body)).status).toBe(200);
      await t.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
      const done = await settled(poolId, job.JobId!);
      expect(done.Status).toBe("Failed");
      expect(done.ImportedUsers).toBe(0);
      expect([done.CompletionMessage, ...(await logOf(job.JobId!))].join("\n")).toMatch(message);
    }
    const { Users } = await t.cognito.send(new ListUsersCommand({ UserPoolId: poolId }));
    expect(Users).toEqual([]);
  });

  it("answers PreconditionNotMetException for a job already started, and for a pool with no auto-verified attributes", async () => {
    const poolId = await createPool(t);
    const job = await importRows(poolId, await csvFor(poolId, []));
    await expectError(
      t.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! })),
      "PreconditionNotMetException",
      `Import job ${job.JobId} cannot be started: its status is Succeeded.`,
    );
    await expectError(
      t.cognito.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! })),
      "PreconditionNotMetException",
      `Import job ${job.JobId} cannot be stopped: its status is Succeeded.`,
    );
    const plain = await createPool(t, { AutoVerifiedAttributes: [] });
    const other = await createJob(plain);
    await expectError(
      t.cognito.send(new StartUserImportJobCommand({ UserPoolId: plain, JobId: other.JobId! })),
      "PreconditionNotMetException",
    );
  });

  it("imports 2,000 rows; StopUserImportJob stops a running job between batches", async () => {
    const poolId = await createPool(t);
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      "cognito:username": `user${i}`,
      email: `user${i}@example.com`,
      email_verified: "true",
    }));
    const csv = await csvFor(poolId, rows);
    const job = await importRows(poolId, csv);
    expect(job).toMatchObject({ Status: "Succeeded", ImportedUsers: 2000 });

    const other = await createPool(t);
    const big = await csvFor(
      other,
      Array.from({ length: 5000 }, (_, i) => ({
        "cognito:username": `u${i}`,
        email: `u${i}@example.com`,
        email_verified: "true",
      })),
    );
    const running = await createJob(other);
    await upload(running, big);
    const started = await t.cognito.send(new StartUserImportJobCommand({ UserPoolId: other, JobId: running.JobId! }));
    expect(started.UserImportJob!.Status).toBe("Pending");
    const custom = { UserPoolId: other, CustomAttributes: [{ Name: "tier", AttributeDataType: "String" as const }] };
    await expectError(
      t.cognito.send(new AddCustomAttributesCommand(custom)),
      "UserImportInProgressException",
      "A user import job is in progress in this user pool; try again when it ends.",
    );
    const stopping = await t.cognito.send(new StopUserImportJobCommand({ UserPoolId: other, JobId: running.JobId! }));
    expect(stopping.UserImportJob!.Status).toBe("Stopping");
    const stopped = await settled(other, running.JobId!);
    expect(stopped.Status).toBe("Stopped");
    expect(stopped.CompletionMessage).toBe("The Import Job was stopped by the developer.");
    expect(stopped.ImportedUsers).toBeLessThan(5000);
    await t.cognito.send(new AddCustomAttributesCommand(custom));
  });
});

describe("a running import and the rest of the API", () => {
  it("the emulator answers other calls between batches, and deleting the pool ends the run quietly", async () => {
    const poolId = await createPool(t);
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      "cognito:username": `p${i}`,
      email: `p${i}@example.com`,
      email_verified: "true",
    }));
    const job = await createJob(poolId);
    await upload(job, await csvFor(poolId, rows));
    await t.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
    const described = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(described.UserPool!.Id).toBe(poolId);
    await t.cognito.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    await expectError(
      t.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! })),
      "ResourceNotFoundException",
    );
    // The run notices at its next batch; nothing of the pool comes back.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(t.twin.services.store.getPool(poolId)).toBeUndefined();
    expect(t.twin.services.store.countUsers(poolId)).toBe(0);
  });
});

describe("ListUserImportJobs", () => {
  it("pages the pool's jobs, oldest first", async () => {
    const poolId = await createPool(t);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await createJob(poolId, `job-${i}`)).JobId!);
      clock.advance(1);
    }
    const first = await t.cognito.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2 }));
    expect(first.UserImportJobs!.map((j) => j.JobId)).toEqual(ids.slice(0, 2));
    const rest = await t.cognito.send(
      new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2, PaginationToken: first.PaginationToken! }),
    );
    expect(rest.UserImportJobs!.map((j) => j.JobId)).toEqual(ids.slice(2));
    expect(rest.PaginationToken).toBeUndefined();
  });
});
