// Pool tags (TagResource, UntagResource, ListTagsForResource) and the pool's MFA configuration
// (GetUserPoolMfaConfig, SetUserPoolMfaConfig) end to end through SDK v3.
import {
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  ListTagsForResourceCommand,
  SetUserPoolMfaConfigCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

async function newPool(input: Partial<CreateUserPoolCommandInput> = {}) {
  const { UserPool } = await t.cognito.send(new CreateUserPoolCommand({ PoolName: "p", ...input }));
  return UserPool!;
}

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

const tagsOf = async (arn: string) => (await t.cognito.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;
const describeTags = async (id: string) =>
  (await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!.UserPoolTags;

describe("tags", () => {
  it("lists the tags a pool was created with, and none for an untagged pool", async () => {
    const tagged = await newPool({ UserPoolTags: { env: "test", team: "auth" } });
    expect(await tagsOf(tagged.Arn!)).toEqual({ env: "test", team: "auth" });
    const plain = await newPool();
    expect(await tagsOf(plain.Arn!)).toEqual({});
  });

  it("adds and overwrites with TagResource, removes with UntagResource; DescribeUserPool agrees", async () => {
    const pool = await newPool({ UserPoolTags: { env: "test" } });
    await t.cognito.send(new TagResourceCommand({ ResourceArn: pool.Arn, Tags: { env: "staging", owner: "qa" } }));
    expect(await tagsOf(pool.Arn!)).toEqual({ env: "staging", owner: "qa" });
    expect(await describeTags(pool.Id!)).toEqual({ env: "staging", owner: "qa" });

    await t.cognito.send(new UntagResourceCommand({ ResourceArn: pool.Arn, TagKeys: ["env", "not-there"] }));
    expect(await tagsOf(pool.Arn!)).toEqual({ owner: "qa" });
    expect(await describeTags(pool.Id!)).toEqual({ owner: "qa" });
  });

  it("refuses more than 50 tags on a pool", async () => {
    const pool = await newPool();
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, "v"]));
    await t.cognito.send(new TagResourceCommand({ ResourceArn: pool.Arn, Tags: many }));
    const more = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`m${i}`, "v"]));
    await expectError(
      t.cognito.send(new TagResourceCommand({ ResourceArn: pool.Arn, Tags: more })),
      "InvalidParameterException",
    );
    expect(Object.keys((await tagsOf(pool.Arn!))!)).toHaveLength(30);
  });

  it("answers ResourceNotFoundException for an ARN that names no pool", async () => {
    const pool = await newPool();
    const missing = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_NoSuchPool";
    await expectError(
      t.cognito.send(new ListTagsForResourceCommand({ ResourceArn: missing })),
      "ResourceNotFoundException",
      /us-east-1_NoSuchPool/,
    );
    await expectError(
      t.cognito.send(new TagResourceCommand({ ResourceArn: missing, Tags: { a: "b" } })),
      "ResourceNotFoundException",
    );
    await expectError(
      t.cognito.send(new UntagResourceCommand({ ResourceArn: missing, TagKeys: ["a"] })),
      "ResourceNotFoundException",
    );
    // The right pool id in another account's ARN is not this pool.
    const otherAccount = pool.Arn!.replace(":000000000000:", ":111111111111:");
    await expectError(
      t.cognito.send(new ListTagsForResourceCommand({ ResourceArn: otherAccount })),
      "ResourceNotFoundException",
    );
  });

  it("refuses a malformed ARN with Coral's validation message", async () => {
    await expectError(
      t.cognito.send(new ListTagsForResourceCommand({ ResourceArn: "not-an-arn" })),
      "InvalidParameterException",
      "2 validation errors detected: Value 'not-an-arn' at 'resourceArn' failed to satisfy constraint: Member must have length greater than or equal to 20; " +
        "Value 'not-an-arn' at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
        "arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?",
    );
  });
});

describe("MFA configuration", () => {
  it("answers OFF for a new pool", async () => {
    const pool = await newPool();
    const out = await t.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.Id }));
    expect(out.MfaConfiguration).toBe("OFF");
    expect(out.SoftwareTokenMfaConfiguration).toBeUndefined();
    expect(out.SmsMfaConfiguration).toBeUndefined();
  });

  it("turns TOTP MFA on and off; DescribeUserPool follows", async () => {
    const pool = await newPool();
    const set = await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: pool.Id,
        MfaConfiguration: "OPTIONAL",
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    expect(set).toMatchObject({ MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } });
    const got = await t.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.Id }));
    expect(got).toMatchObject({ MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } });
    expect(
      (await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }))).UserPool!.MfaConfiguration,
    ).toBe("OPTIONAL");

    await t.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.Id, MfaConfiguration: "ON" }));
    expect((await t.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.Id }))).MfaConfiguration).toBe(
      "ON",
    );

    await t.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.Id, MfaConfiguration: "OFF" }));
    expect((await t.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.Id }))).MfaConfiguration).toBe(
      "OFF",
    );
    expect(
      (await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }))).UserPool!.MfaConfiguration,
    ).toBe("OFF");
  });

  it("keeps the email MFA settings it is given", async () => {
    const pool = await newPool();
    const out = await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: pool.Id,
        MfaConfiguration: "OPTIONAL",
        EmailMfaConfiguration: { Message: "Code {####}", Subject: "Your code" },
      }),
    );
    expect(out.EmailMfaConfiguration).toEqual({ Message: "Code {####}", Subject: "Your code" });
    expect(
      (await t.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.Id }))).EmailMfaConfiguration,
    ).toEqual({ Message: "Code {####}", Subject: "Your code" });
  });

  it("refuses ON or OPTIONAL with no MFA method enabled", async () => {
    const pool = await newPool();
    await expectError(
      t.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.Id, MfaConfiguration: "ON" })),
      "InvalidParameterException",
    );
    await expectError(
      t.cognito.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: pool.Id,
          MfaConfiguration: "OPTIONAL",
          SoftwareTokenMfaConfiguration: { Enabled: false },
        }),
      ),
      "InvalidParameterException",
    );
    expect((await t.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.Id }))).MfaConfiguration).toBe(
      "OFF",
    );
  });

  it("follows the pool's MfaConfiguration set by CreateUserPool and UpdateUserPool", async () => {
    const pool = await newPool({ MfaConfiguration: "OFF" });
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: pool.Id,
        MfaConfiguration: "OPTIONAL",
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    // UpdateUserPool without MfaConfiguration returns it to its default, OFF.
    await t.cognito.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id }));
    expect((await t.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.Id }))).MfaConfiguration).toBe(
      "OFF",
    );
  });

  it("answers ResourceNotFoundException for an unknown pool", async () => {
    await expectError(
      t.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: "us-east-1_NotHere00" })),
      "ResourceNotFoundException",
      "User pool us-east-1_NotHere00 does not exist.",
    );
    await expectError(
      t.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: "us-east-1_NotHere00", MfaConfiguration: "OFF" })),
      "ResourceNotFoundException",
      "User pool us-east-1_NotHere00 does not exist.",
    );
  });
});
