// User import jobs with a data directory: jobs and the users they imported survive a restart; a
// job that was running when the emulator stopped is then Failed, and its upload (S3's, held in
// memory) is gone; reset forgets jobs, uploads and logs.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminGetUserCommand,
  CreateUserImportJobCommand,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  ListUserImportJobsCommand,
  StartUserImportJobCommand,
  type UserImportJobType,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPool } from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";
import { updateImportJob } from "../domain/user-import/jobs.js";

let dir: string;
const running: TestTwin[] = [];
const ROLE = "arn:aws:iam::123456789012:role/CognitoImport";

async function start(extra: Parameters<typeof startTwin>[0] = {}): Promise<TestTwin> {
  const t = await startTwin({ dataDir: dir, ...extra });
  running.push(t);
  return t;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "twin-import-"));
});
afterEach(async () => {
  for (const t of running.splice(0)) await t.close();
  await rm(dir, { recursive: true, force: true });
});

async function job(t: TestTwin, poolId: string): Promise<UserImportJobType> {
  const { UserImportJob } = await t.cognito.send(
    new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: "persisted", CloudWatchLogsRoleArn: ROLE }),
  );
  return UserImportJob!;
}

async function settled(t: TestTwin, poolId: string, jobId: string): Promise<UserImportJobType> {
  for (let i = 0; i < 2000; i++) {
    const { UserImportJob } = await t.cognito.send(
      new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }),
    );
    if (!["Pending", "InProgress", "Stopping"].includes(UserImportJob!.Status!)) return UserImportJob!;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error("the import job did not finish");
}

describe("user import jobs across a restart", () => {
  it("keep their records and imported users; a job running at the stop is Failed after it", async () => {
    const a = await start();
    const poolId = await createPool(a);
    const { CSVHeader } = await a.cognito.send(new GetCSVHeaderCommand({ UserPoolId: poolId }));
    const row = CSVHeader!.map((c) =>
      c === "cognito:username"
        ? "ada"
        : c === "email"
          ? "ada@example.com"
          : c === "email_verified"
            ? "true"
            : c === "cognito:mfa_enabled"
              ? "false"
              : "",
    );
    const done = await job(a, poolId);
    const put = await fetch(done.PreSignedUrl!, {
      method: "PUT",
      body: `${CSVHeader!.join(",")}\n${row.join(",")}\n`,
      headers: { "x-amz-server-side-encryption": "aws:kms" },
    });
    expect(put.status).toBe(200);
    await a.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: done.JobId! }));
    const finished = await settled(a, poolId, done.JobId!);
    expect(finished.Status).toBe("Succeeded");
    const created = await job(a, poolId);
    // A job the store says is running, as if the process stopped in the middle of it.
    const cut = await job(a, poolId);
    updateImportJob(a.twin.services.store, poolId, cut.JobId!, (j) => {
      j.status = "InProgress";
      j.startedAt = Date.now();
    });
    await a.close();
    running.splice(running.indexOf(a), 1);

    const b = await start();
    const { UserImportJobs } = await b.cognito.send(
      new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 10 }),
    );
    expect(UserImportJobs!.map((j) => [j.JobId, j.Status])).toEqual([
      [done.JobId, "Succeeded"],
      [created.JobId, "Created"],
      [cut.JobId, "Failed"],
    ]);
    expect(UserImportJobs![0]).toEqual({ ...finished, PreSignedUrl: UserImportJobs![0]!.PreSignedUrl });
    expect(UserImportJobs![2]!.CompletionMessage).toBe("The emulator stopped while the import job ran.");
    const ada = await b.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "ada" }));
    expect(ada.UserStatus).toBe("RESET_REQUIRED");
    // The upload was S3's, in memory: the Created job starts and fails for want of a file.
    await b.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: created.JobId! }));
    expect((await settled(b, poolId, created.JobId!)).Status).toBe("Failed");
  });

  it("POST /_twin/reset forgets the jobs and their logs", async () => {
    const a = await start();
    const poolId = await createPool(a);
    const made = await job(a, poolId);
    await fetch(`${a.url}/_twin/reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    const log = await fetch(`${a.url}/_twin/user-import/${made.JobId}/log`);
    expect(log.status).toBe(404);
  });
});
