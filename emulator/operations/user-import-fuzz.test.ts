// Bad import files, generated: random bytes, random text, and CSVs in the pool's columns with
// random values, random quoting and random row lengths. Every upload and run answers without a
// 5xx, every job ends Succeeded or Failed with counts that add up, and the users that existed
// before are exactly as they were.
import {
  AdminGetUserCommand,
  CreateUserImportJobCommand,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  StartUserImportJobCommand,
  type UserImportJobType,
} from "@aws-sdk/client-cognito-identity-provider";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, createUser } from "../../test-support/auth-fixtures.js";
import { assertStoreInvariants } from "../../test-support/store-invariants.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
let poolId: string;
let header: string[];
beforeAll(async () => {
  t = await startTwin();
  poolId = await createPool(t, { AliasAttributes: ["email"] });
  await createUser(t, poolId, "existing", { attributes: { email: "existing@example.com", email_verified: "true" } });
  header = (await t.cognito.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader!;
});
afterAll(() => t.close());

async function run(body: Uint8Array): Promise<UserImportJobType> {
  const { UserImportJob } = await t.cognito.send(
    new CreateUserImportJobCommand({
      UserPoolId: poolId,
      JobName: "fuzz",
      CloudWatchLogsRoleArn: "arn:aws:iam::123456789012:role/CognitoImport",
    }),
  );
  const put = await fetch(UserImportJob!.PreSignedUrl!, {
    method: "PUT",
    body,
    headers: { "x-amz-server-side-encryption": "aws:kms" },
  });
  expect(put.status).toBe(200);
  await t.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: UserImportJob!.JobId! }));
  for (let i = 0; i < 2000; i++) {
    const { UserImportJob: j } = await t.cognito.send(
      new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: UserImportJob!.JobId! }),
    );
    if (!["Pending", "InProgress", "Stopping"].includes(j!.Status!)) return j!;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error("the import job did not finish");
}

const value = fc.oneof(
  fc.constant(""),
  fc.constantFrom("true", "false", "True", "existing", "existing@example.com", "+15555550100", "a@b", '"', "\\", ","),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 8 }),
);

/** A CSV of some of the pool's columns in any order (read once `header` is known). */
const csvText = () =>
  fc
    .tuple(
      fc.shuffledSubarray(header, { minLength: 0 }),
      fc.array(fc.array(value, { maxLength: 25 }), { maxLength: 12 }),
      fc.constantFrom("\n", "\r\n"),
    )
    .map(([columns, rows, eol]) => [columns.join(","), ...rows.map((r) => r.join(","))].join(eol));

describe("user import fuzz", () => {
  it("never answers a 5xx or corrupts the users that exist", async () => {
    const before = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "existing" }));
    const files = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      csvText().map((s) => new TextEncoder().encode(s)),
      // GetCSVHeader's header, then fuzzed rows: the path where rows are read.
      fc
        .array(fc.array(value, { minLength: header.length - 1, maxLength: header.length + 1 }), { maxLength: 8 })
        .map((rows) => new TextEncoder().encode([header.join(","), ...rows.map((r) => r.join(","))].join("\n"))),
    );
    await fc.assert(
      fc.asyncProperty(files, async (body) => {
        const job = await run(body);
        expect(["Succeeded", "Failed"]).toContain(job.Status);
        if (job.Status === "Succeeded") expect(job.CompletionMessage).toBe("Import Job Completed Successfully.");
        const after = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "existing" }));
        expect({ ...after, $metadata: undefined }).toEqual({ ...before, $metadata: undefined });
      }),
      { numRuns: 60 },
    );
    assertStoreInvariants(t.twin.services.store);
  });
});
