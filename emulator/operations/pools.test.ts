// User pool operations end to end through SDK v3: CreateUserPool, DescribeUserPool,
// UpdateUserPool, DeleteUserPool, ListUserPools, AddCustomAttributes.
import {
  AddCustomAttributesCommand,
  AdminCreateUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListTagsForResourceCommand,
  ListUserPoolsCommand,
  paginateListUserPools,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUIDE_POOL } from "../../test-support/seed-guide.js";
import { sdkClient, startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

const STANDARD = [
  "sub",
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
];

async function newPool(input: Partial<CreateUserPoolCommandInput> = {}) {
  const out = await t.cognito.send(new CreateUserPoolCommand({ PoolName: "pool", ...input }));
  return out.UserPool!;
}

/** Expects the SDK to reject with this Cognito error type (and message, when given). */
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

describe("CreateUserPool", () => {
  it("creates the seed guide's pool with Cognito's id, ARN and defaults", async () => {
    const pool = await newPool(GUIDE_POOL);
    expect(pool.Id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(pool.Arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
    expect(pool.Name).toBe(GUIDE_POOL.PoolName);
    expect(pool.CreationDate).toBeInstanceOf(Date);
    expect(pool.LastModifiedDate).toEqual(pool.CreationDate);
    expect(Math.abs(pool.CreationDate!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(pool.Policies?.PasswordPolicy).toEqual({
      MinimumLength: 8,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
    expect(pool.UsernameAttributes).toEqual(["email"]);
    expect(pool.AutoVerifiedAttributes).toEqual(["email"]);
    expect(pool.MfaConfiguration).toBe("OFF");
    expect(pool.EstimatedNumberOfUsers).toBe(0);
    expect(pool.DeletionProtection).toBe("INACTIVE");
    expect(pool.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly).toBe(false);
    expect(pool.VerificationMessageTemplate?.DefaultEmailOption).toBe("CONFIRM_WITH_CODE");
    expect(pool.EmailConfiguration?.EmailSendingAccount).toBe("COGNITO_DEFAULT");
    expect(pool.AccountRecoverySetting?.RecoveryMechanisms).toEqual([
      { Priority: 1, Name: "verified_email" },
      { Priority: 2, Name: "verified_phone_number" },
    ]);
  });

  it("answers the full standard schema, with the caller's Schema merged in", async () => {
    const pool = await newPool(GUIDE_POOL);
    const schema = pool.SchemaAttributes!;
    expect(schema.map((a) => a.Name)).toEqual(STANDARD);
    const byName = new Map(schema.map((a) => [a.Name, a]));
    expect(byName.get("email")).toMatchObject({
      AttributeDataType: "String",
      Required: true,
      Mutable: true,
      DeveloperOnlyAttribute: false,
    });
    expect(byName.get("name")).toMatchObject({ Required: true, Mutable: true });
    expect(byName.get("sub")).toMatchObject({
      Required: true,
      Mutable: false,
      StringAttributeConstraints: { MinLength: "1", MaxLength: "2048" },
    });
    expect(byName.get("given_name")).toMatchObject({
      Required: false,
      StringAttributeConstraints: { MinLength: "0", MaxLength: "2048" },
    });
    expect(byName.get("email_verified")).toMatchObject({ AttributeDataType: "Boolean", Required: false });
    expect(byName.get("updated_at")).toMatchObject({
      AttributeDataType: "Number",
      NumberAttributeConstraints: { MinValue: "0" },
    });
    expect(byName.get("birthdate")?.StringAttributeConstraints).toEqual({ MinLength: "10", MaxLength: "10" });
    expect(schema.filter((a) => a.Required).map((a) => a.Name)).toEqual(["sub", "name", "email"]);
  });

  it("fills Cognito's defaults for a pool created with only a name", async () => {
    const pool = await newPool({ PoolName: "bare" });
    expect(pool.Policies?.PasswordPolicy).toEqual({
      MinimumLength: 8,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
    expect(pool.MfaConfiguration).toBe("OFF");
    expect(pool.SchemaAttributes!.map((a) => a.Name)).toEqual(STANDARD);
    expect(pool.SchemaAttributes!.filter((a) => a.Required).map((a) => a.Name)).toEqual(["sub"]);
    expect(pool.UsernameAttributes).toBeUndefined();
    expect(pool.AliasAttributes).toBeUndefined();
    expect(pool.LambdaConfig).toEqual({});
  });

  it("names custom attributes custom:<name> and developer-only ones dev:custom:<name>", async () => {
    const pool = await newPool({
      Schema: [
        {
          Name: "tenant",
          AttributeDataType: "String",
          Mutable: true,
          StringAttributeConstraints: { MinLength: "1", MaxLength: "64" },
        },
        { Name: "age", AttributeDataType: "Number", NumberAttributeConstraints: { MinValue: "0", MaxValue: "150" } },
        { Name: "secret", AttributeDataType: "String", DeveloperOnlyAttribute: true },
      ],
    });
    const custom = pool.SchemaAttributes!.slice(STANDARD.length);
    expect(custom).toEqual([
      {
        Name: "custom:tenant",
        AttributeDataType: "String",
        DeveloperOnlyAttribute: false,
        Mutable: true,
        Required: false,
        StringAttributeConstraints: { MinLength: "1", MaxLength: "64" },
      },
      {
        Name: "custom:age",
        AttributeDataType: "Number",
        DeveloperOnlyAttribute: false,
        Mutable: true,
        Required: false,
        NumberAttributeConstraints: { MinValue: "0", MaxValue: "150" },
      },
      expect.objectContaining({ Name: "dev:custom:secret", DeveloperOnlyAttribute: true }),
    ]);
  });

  it("takes the region of new pools from the SigV4 credential scope", async () => {
    const eu = sdkClient(t.url, "eu-west-2");
    try {
      const { UserPool } = await eu.send(new CreateUserPoolCommand({ PoolName: "regional" }));
      expect(UserPool!.Id).toMatch(/^eu-west-2_[0-9A-Za-z]{9}$/);
      expect(UserPool!.Arn).toBe(`arn:aws:cognito-idp:eu-west-2:000000000000:userpool/${UserPool!.Id}`);
    } finally {
      eu.destroy();
    }
  });

  it("gives every pool a different id", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await newPool()).Id!);
    expect(ids.size).toBe(5);
  });

  it("refuses username attributes together with aliases", async () => {
    await expectError(
      newPool({ UsernameAttributes: ["email"], AliasAttributes: ["preferred_username"] }),
      "InvalidParameterException",
      "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
    );
  });

  it("refuses a required custom attribute and a changed standard attribute type", async () => {
    await expectError(
      newPool({ Schema: [{ Name: "tier", AttributeDataType: "String", Required: true }] }),
      "InvalidParameterException",
      /Required custom attributes are not supported/,
    );
    await expectError(
      newPool({ Schema: [{ Name: "email", AttributeDataType: "Number" }] }),
      "InvalidParameterException",
      /email/,
    );
  });

  it("surfaces model validation failures as InvalidParameterException with Coral's message", async () => {
    await expectError(
      t.cognito.send(new CreateUserPoolCommand({} as CreateUserPoolCommandInput)),
      "InvalidParameterException",
      "1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null",
    );
    await expectError(
      newPool({ Policies: { PasswordPolicy: { MinimumLength: 5 } } }),
      "InvalidParameterException",
      "1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6",
    );
    await expectError(
      newPool({ PoolName: "" }),
      "InvalidParameterException",
      /^2 validation errors detected: Value '' at 'poolName' failed to satisfy constraint: Member must have length greater than or equal to 1; /,
    );
  });
});

describe("DescribeUserPool", () => {
  it("answers what CreateUserPool answered, with the live user count", async () => {
    const created = await newPool(GUIDE_POOL);
    const { UserPool } = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: created.Id }));
    expect(UserPool).toEqual(created);

    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: created.Id,
        Username: "a@example.com",
        UserAttributes: [
          { Name: "email", Value: "a@example.com" },
          { Name: "name", Value: "A" },
        ],
        MessageAction: "SUPPRESS",
      }),
    );
    const after = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: created.Id }));
    expect(after.UserPool!.EstimatedNumberOfUsers).toBe(1);
  });

  it("answers ResourceNotFoundException for an unknown pool", async () => {
    await expectError(
      t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: "us-east-1_NoSuchOne" })),
      "ResourceNotFoundException",
      "User pool us-east-1_NoSuchOne does not exist.",
    );
  });

  it("refuses a malformed pool id before looking it up", async () => {
    await expectError(
      t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: "no-underscore" })),
      "InvalidParameterException",
      "1 validation error detected: Value 'no-underscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
    );
  });
});

describe("UpdateUserPool", () => {
  it("replaces the updatable settings and returns omitted ones to their defaults", async () => {
    const pool = await newPool({
      ...GUIDE_POOL,
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: false, TemporaryPasswordValidityDays: 3 } },
      DeletionProtection: "ACTIVE",
      EmailVerificationMessage: "Your code is {####}",
      EmailVerificationSubject: "Your code",
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    t.twin.services.clock.advance(60);
    await t.cognito.send(
      new UpdateUserPoolCommand({ UserPoolId: pool.Id, Policies: { PasswordPolicy: { MinimumLength: 10 } } }),
    );
    const { UserPool } = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    const u = UserPool!;
    expect(u.Policies?.PasswordPolicy).toMatchObject({ MinimumLength: 10, TemporaryPasswordValidityDays: 7 });
    expect(u.DeletionProtection).toBe("INACTIVE");
    expect(u.AutoVerifiedAttributes ?? []).toEqual([]);
    expect(u.EmailVerificationMessage).toBeUndefined();
    expect(u.EmailVerificationSubject).toBeUndefined();
    expect(u.AdminCreateUserConfig?.AllowAdminCreateUserOnly).toBe(false);
    expect(u.MfaConfiguration).toBe("OFF");
    // What UpdateUserPool cannot change stays as created.
    expect(u.Id).toBe(pool.Id);
    expect(u.Name).toBe(GUIDE_POOL.PoolName);
    expect(u.Arn).toBe(pool.Arn);
    expect(u.SchemaAttributes).toEqual(pool.SchemaAttributes);
    expect(u.UsernameAttributes).toEqual(["email"]);
    expect(u.CreationDate).toEqual(pool.CreationDate);
    expect(u.LastModifiedDate!.getTime() - pool.CreationDate!.getTime()).toBeGreaterThanOrEqual(60_000);
  });

  it("sets what it is given", async () => {
    const pool = await newPool();
    await t.cognito.send(
      new UpdateUserPoolCommand({
        UserPoolId: pool.Id,
        PoolName: "renamed",
        AutoVerifiedAttributes: ["email"],
        DeletionProtection: "ACTIVE",
        EmailVerificationMessage: "Code: {####}",
        VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_LINK" },
        UserPoolTags: { team: "auth" },
      }),
    );
    const { UserPool } = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    expect(UserPool).toMatchObject({
      Name: "renamed",
      AutoVerifiedAttributes: ["email"],
      DeletionProtection: "ACTIVE",
      EmailVerificationMessage: "Code: {####}",
      VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_LINK" },
      UserPoolTags: { team: "auth" },
    });
    const tags = await t.cognito.send(new ListTagsForResourceCommand({ ResourceArn: pool.Arn }));
    expect(tags.Tags).toEqual({ team: "auth" });
  });

  it("drops optional settings it is not given, tags included, in DescribeUserPool and ListTagsForResource alike", async () => {
    const pool = await newPool({
      UserPoolTags: { env: "test" },
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      SmsAuthenticationMessage: "Your code is {####}",
    });
    expect(pool.DeviceConfiguration).toEqual({
      ChallengeRequiredOnNewDevice: true,
      DeviceOnlyRememberedOnUserPrompt: true,
    });
    await t.cognito.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, AutoVerifiedAttributes: ["email"] }));
    const { UserPool } = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    const tags = await t.cognito.send(new ListTagsForResourceCommand({ ResourceArn: pool.Arn }));
    expect(UserPool!.DeviceConfiguration).toBeUndefined();
    expect(UserPool!.SmsAuthenticationMessage).toBeUndefined();
    expect(UserPool!.UserPoolTags ?? {}).toEqual({});
    expect(tags.Tags).toEqual({});
  });

  it("keeps UserPoolTier when it is left out, the one setting AWS documents as kept", async () => {
    const pool = await newPool({ UserPoolTier: "PLUS" });
    expect(pool.UserPoolTier).toBe("PLUS");
    await t.cognito.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id }));
    expect((await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }))).UserPool!.UserPoolTier).toBe(
      "PLUS",
    );
    await t.cognito.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, UserPoolTier: "LITE" }));
    expect((await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }))).UserPool!.UserPoolTier).toBe(
      "LITE",
    );
    expect((await newPool()).UserPoolTier).toBe("ESSENTIALS");
  });

  it("answers ResourceNotFoundException for an unknown pool", async () => {
    await expectError(
      t.cognito.send(new UpdateUserPoolCommand({ UserPoolId: "us-east-1_Missing1" })),
      "ResourceNotFoundException",
      "User pool us-east-1_Missing1 does not exist.",
    );
  });
});

describe("DeleteUserPool", () => {
  it("deletes the pool and everything in it", async () => {
    const pool = await newPool();
    const { UserPoolClient } = await t.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: pool.Id, ClientName: "c" }),
    );
    await t.cognito.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }));
    await expectError(
      t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id })),
      "ResourceNotFoundException",
      `User pool ${pool.Id} does not exist.`,
    );
    await expectError(
      t.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: UserPoolClient!.ClientId })),
      "ResourceNotFoundException",
      `User pool ${pool.Id} does not exist.`,
    );
    expect(t.twin.services.store.getClient(UserPoolClient!.ClientId!)).toBeUndefined();
    await expectError(
      t.cognito.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id })),
      "ResourceNotFoundException",
      `User pool ${pool.Id} does not exist.`,
    );
  });

  it("refuses while deletion protection is active, and deletes once it is inactivated", async () => {
    const pool = await newPool({ DeletionProtection: "ACTIVE" });
    await expectError(
      t.cognito.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id })),
      "InvalidParameterException",
      "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
    );
    await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    await t.cognito.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, DeletionProtection: "INACTIVE" }));
    await t.cognito.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }));
    await expectError(
      t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id })),
      "ResourceNotFoundException",
    );
  });
});

describe("ListUserPools", () => {
  // A twin of its own so the page arithmetic does not depend on the other tests' pools.
  let own: TestTwin;
  beforeAll(async () => {
    own = await startTwin();
  });
  afterAll(() => own.close());

  it("answers an empty list, then the pools' summaries", async () => {
    expect((await own.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools).toEqual([]);
    const { UserPool } = await own.cognito.send(
      new CreateUserPoolCommand({
        PoolName: "first",
        LambdaConfig: { PreSignUp: "arn:aws:lambda:us-east-1:000000000000:function:pre" },
      }),
    );
    const { UserPools, NextToken } = await own.cognito.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    expect(NextToken).toBeUndefined();
    expect(UserPools).toEqual([
      {
        Id: UserPool!.Id,
        Name: "first",
        LambdaConfig: { PreSignUp: "arn:aws:lambda:us-east-1:000000000000:function:pre" },
        CreationDate: UserPool!.CreationDate,
        LastModifiedDate: UserPool!.LastModifiedDate,
      },
    ]);
  });

  it("pages with MaxResults and NextToken, every pool exactly once", async () => {
    for (let i = 2; i <= 7; i++) await own.cognito.send(new CreateUserPoolCommand({ PoolName: `pool-${i}` }));
    const sizes: number[] = [];
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await own.cognito.send(new ListUserPoolsCommand({ MaxResults: 3, NextToken: token }));
      sizes.push(page.UserPools!.length);
      ids.push(...page.UserPools!.map((p) => p.Id!));
      token = page.NextToken;
    } while (token);
    expect(sizes).toEqual([3, 3, 1]);
    expect(new Set(ids).size).toBe(7);

    // The SDK's own paginator follows the same tokens.
    const viaPaginator: string[] = [];
    for await (const page of paginateListUserPools({ client: own.cognito, pageSize: 2 }, { MaxResults: 2 }))
      viaPaginator.push(...page.UserPools!.map((p) => p.Id!));
    expect(viaPaginator).toEqual(ids);
  });

  it("answers no NextToken when the last page is exactly full", async () => {
    const page = await own.cognito.send(new ListUserPoolsCommand({ MaxResults: 7 }));
    expect(page.UserPools).toHaveLength(7);
    expect(page.NextToken).toBeUndefined();
  });

  it("refuses a missing or out-of-range MaxResults and a forged NextToken", async () => {
    await expectError(
      own.cognito.send(new ListUserPoolsCommand({} as { MaxResults: number })),
      "InvalidParameterException",
      "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null",
    );
    await expectError(
      own.cognito.send(new ListUserPoolsCommand({ MaxResults: 61 })),
      "InvalidParameterException",
      "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
    await expectError(
      own.cognito.send(new ListUserPoolsCommand({ MaxResults: 3, NextToken: "bm90LWEtdG9rZW4" })),
      "InvalidParameterException",
    );
  });
});

describe("AddCustomAttributes", () => {
  it("adds custom:<name> attributes after the existing schema", async () => {
    const pool = await newPool(GUIDE_POOL);
    t.twin.services.clock.advance(5);
    await t.cognito.send(
      new AddCustomAttributesCommand({
        UserPoolId: pool.Id,
        CustomAttributes: [
          {
            Name: "tier",
            AttributeDataType: "String",
            StringAttributeConstraints: { MinLength: "1", MaxLength: "16" },
          },
          { Name: "score", AttributeDataType: "Number", Mutable: false },
        ],
      }),
    );
    const { UserPool } = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    const names = UserPool!.SchemaAttributes!.map((a) => a.Name);
    expect(names).toEqual([...STANDARD, "custom:tier", "custom:score"]);
    expect(UserPool!.SchemaAttributes!.find((a) => a.Name === "custom:tier")).toMatchObject({
      AttributeDataType: "String",
      Mutable: true,
      Required: false,
      StringAttributeConstraints: { MinLength: "1", MaxLength: "16" },
    });
    expect(UserPool!.SchemaAttributes!.find((a) => a.Name === "custom:score")).toMatchObject({
      AttributeDataType: "Number",
      Mutable: false,
    });
    expect(UserPool!.LastModifiedDate!.getTime()).toBeGreaterThan(pool.LastModifiedDate!.getTime());
    // A standard attribute's name given here is a new custom attribute, not the standard one.
    await t.cognito.send(
      new AddCustomAttributesCommand({
        UserPoolId: pool.Id,
        CustomAttributes: [{ Name: "email", AttributeDataType: "String" }],
      }),
    );
    const again = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    expect(again.UserPool!.SchemaAttributes!.map((a) => a.Name).slice(-1)).toEqual(["custom:email"]);
  });

  it("refuses an attribute that exists already and a required one", async () => {
    const pool = await newPool({ Schema: [{ Name: "tier", AttributeDataType: "String" }] });
    await expectError(
      t.cognito.send(
        new AddCustomAttributesCommand({
          UserPoolId: pool.Id,
          CustomAttributes: [{ Name: "tier", AttributeDataType: "String" }],
        }),
      ),
      "InvalidParameterException",
      /custom:tier/,
    );
    await expectError(
      t.cognito.send(
        new AddCustomAttributesCommand({
          UserPoolId: pool.Id,
          CustomAttributes: [{ Name: "plan", AttributeDataType: "String", Required: true }],
        }),
      ),
      "InvalidParameterException",
      /Required custom attributes are not supported/,
    );
  });

  it("answers ResourceNotFoundException for an unknown pool and validates the list", async () => {
    await expectError(
      t.cognito.send(
        new AddCustomAttributesCommand({
          UserPoolId: "us-east-1_Unknown00",
          CustomAttributes: [{ Name: "x", AttributeDataType: "String" }],
        }),
      ),
      "ResourceNotFoundException",
      "User pool us-east-1_Unknown00 does not exist.",
    );
    await expectError(
      t.cognito.send(new AddCustomAttributesCommand({ UserPoolId: "us-east-1_Unknown00", CustomAttributes: [] })),
      "InvalidParameterException",
      "1 validation error detected: Value '[]' at 'customAttributes' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });
});
