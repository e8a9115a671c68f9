// Schema, attribute and recovery fidelity through SDK v3 (docs/decisions/0028): CreateUserPool's
// Schema and AddCustomAttributes checked as Cognito checks them, Boolean values read in any case,
// the unknown-attribute messages, the verification messages kept in both places, admin_only
// recovery and ForgotPassword's unknown users, and AdminCreateUser's order of checks.
import {
  AddCustomAttributesCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  type SchemaAttributeType,
  SignUpCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createUser, inbox } from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

async function newPool(input: Partial<CreateUserPoolCommandInput> = {}) {
  const out = await t.cognito.send(new CreateUserPoolCommand({ PoolName: "schema", ...input }));
  return out.UserPool!;
}

/** The error the promise rejects with, as name and message (undefined when it resolves). */
async function failure(promise: Promise<unknown>): Promise<{ name?: string; message?: string } | undefined> {
  return promise.then(
    () => undefined,
    (e: { name?: string; message?: string }) => ({ name: e.name, message: e.message }),
  );
}

const invalid = (message: string) => ({ name: "InvalidParameterException", message });

/** The CreateUserPool failure for a Schema of this one entry. */
const schemaFailure = (entry: SchemaAttributeType) => failure(newPool({ Schema: [entry] }));

describe("CreateUserPool Schema and AddCustomAttributes", () => {
  it("refuses a custom attribute without AttributeDataType, in both operations", async () => {
    const message = "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.";
    expect(await schemaFailure({ Name: "tier" })).toEqual(invalid(message));
    const pool = await newPool();
    expect(
      await failure(
        t.cognito.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id, CustomAttributes: [{ Name: "tier" }] })),
      ),
    ).toEqual(invalid(message));
  });

  it("refuses another data type or DeveloperOnlyAttribute on a standard attribute", async () => {
    const message =
      "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email";
    expect(await schemaFailure({ Name: "email", AttributeDataType: "Number" })).toEqual(invalid(message));
    expect(await schemaFailure({ Name: "email", DeveloperOnlyAttribute: true })).toEqual(invalid(message));
    // The standard type itself, or no type at all, is fine.
    const pool = await newPool({
      Schema: [
        { Name: "email", Required: true },
        { Name: "name", AttributeDataType: "String" },
      ],
    });
    expect(pool.SchemaAttributes!.find((a) => a.Name === "email")).toMatchObject({ Required: true });
  });

  it("refuses constraints that are not whole numbers, naming the attribute", async () => {
    expect(
      await schemaFailure({
        Name: "email",
        AttributeDataType: "String",
        StringAttributeConstraints: { MinLength: "x" },
      }),
    ).toEqual(invalid("Invalid StringAttributeConstraints for schema attribute email"));
    expect(
      await schemaFailure({
        Name: "tier",
        AttributeDataType: "String",
        StringAttributeConstraints: { MaxLength: "-1" },
      }),
    ).toEqual(invalid("Invalid StringAttributeConstraints for schema attribute custom:tier"));
    expect(
      await schemaFailure({
        Name: "updated_at",
        AttributeDataType: "Number",
        NumberAttributeConstraints: { MaxValue: "1.5" },
      }),
    ).toEqual(invalid("Invalid NumberAttributeConstraints for schema attribute updated_at"));
    expect(
      await schemaFailure({
        Name: "age",
        AttributeDataType: "Number",
        NumberAttributeConstraints: { MinValue: "ten" },
      }),
    ).toEqual(invalid("Invalid NumberAttributeConstraints for schema attribute custom:age"));
  });

  it("refuses a string length over 2048 and a minimum over its maximum", async () => {
    for (const c of [{ MinLength: "2049" }, { MaxLength: "2049" }])
      expect(
        await schemaFailure({ Name: "email", AttributeDataType: "String", StringAttributeConstraints: c }),
      ).toEqual(invalid("user.email: String attributes cannot have a length of more than 2048"));
    expect(
      await schemaFailure({
        Name: "email",
        AttributeDataType: "String",
        StringAttributeConstraints: { MinLength: "2", MaxLength: "1" },
      }),
    ).toEqual(invalid("user.email: Max length cannot be less than min length."));
    expect(
      await schemaFailure({
        Name: "updated_at",
        AttributeDataType: "Number",
        NumberAttributeConstraints: { MinValue: "2", MaxValue: "1" },
      }),
    ).toEqual(invalid("user.updated_at: Max value cannot be less than min value."));
    // 2048 itself, and a negative minimum for a number, are accepted.
    await newPool({
      Schema: [
        {
          Name: "note",
          AttributeDataType: "String",
          StringAttributeConstraints: { MinLength: "0", MaxLength: "2048" },
        },
        { Name: "delta", AttributeDataType: "Number", NumberAttributeConstraints: { MinValue: "-10", MaxValue: "10" } },
      ],
    });
  });

  it("answers Cognito's message for a custom attribute that exists, developer-only ones included", async () => {
    const banana = { Name: "banana", AttributeDataType: "String" as const, DeveloperOnlyAttribute: true };
    const pool = await newPool({ Schema: [banana] });
    expect(
      await failure(
        t.cognito.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id, CustomAttributes: [banana] })),
      ),
    ).toEqual(invalid("custom:banana: Existing attribute already has name dev:custom:banana."));
    // Checked before the entry's own content: a duplicate without a type is still a duplicate.
    const tier = await newPool({ Schema: [{ Name: "tier", AttributeDataType: "String" }] });
    expect(
      await failure(
        t.cognito.send(new AddCustomAttributesCommand({ UserPoolId: tier.Id, CustomAttributes: [{ Name: "tier" }] })),
      ),
    ).toEqual(invalid("custom:tier: Existing attribute already has name custom:tier."));
    expect(await schemaFailure({ Name: "tier", AttributeDataType: "String", Required: true })).toEqual(
      invalid("Required custom attributes are not supported currently."),
    );
  });

  it("echoes custom attributes as Cognito does: the constraints of their own type, none made up", async () => {
    const pool = await newPool({
      Schema: [
        { Name: "string", AttributeDataType: "String" },
        { Name: "number", AttributeDataType: "Number" },
        {
          Name: "both",
          AttributeDataType: "Number",
          NumberAttributeConstraints: { MinValue: "10", MaxValue: "20" },
          StringAttributeConstraints: { MinLength: "10", MaxLength: "20" },
        },
        { Name: "flag", AttributeDataType: "Boolean", StringAttributeConstraints: { MaxLength: "5" } },
        { Name: "half", AttributeDataType: "String", StringAttributeConstraints: { MaxLength: "10" } },
      ],
    });
    const described = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    for (const schema of [pool.SchemaAttributes!, described.UserPool!.SchemaAttributes!]) {
      const byName = new Map(schema.map((a) => [a.Name, a]));
      expect(byName.get("custom:string")).toEqual({
        Name: "custom:string",
        AttributeDataType: "String",
        DeveloperOnlyAttribute: false,
        Mutable: true,
        Required: false,
        StringAttributeConstraints: {},
      });
      expect(byName.get("custom:number")).toEqual({
        Name: "custom:number",
        AttributeDataType: "Number",
        DeveloperOnlyAttribute: false,
        Mutable: true,
        Required: false,
      });
      expect(byName.get("custom:both")).toMatchObject({
        NumberAttributeConstraints: { MinValue: "10", MaxValue: "20" },
      });
      expect(byName.get("custom:both")).not.toHaveProperty("StringAttributeConstraints");
      expect(byName.get("custom:flag")).not.toHaveProperty("StringAttributeConstraints");
      expect(byName.get("custom:half")!.StringAttributeConstraints).toEqual({ MaxLength: "10" });
    }
  });

  it("takes email_verified in a Schema as a custom attribute, and sub only with its own definition", async () => {
    const pool = await newPool({
      Schema: [
        { Name: "email_verified", AttributeDataType: "Boolean" },
        {
          Name: "sub",
          AttributeDataType: "String",
          Mutable: false,
          Required: true,
          StringAttributeConstraints: { MinLength: "1", MaxLength: "2048" },
        },
      ],
    });
    const names = pool.SchemaAttributes!.map((a) => a.Name);
    expect(names).toContain("custom:email_verified");
    expect(names.filter((n) => n === "email_verified")).toHaveLength(1);
    expect(await schemaFailure({ Name: "sub", AttributeDataType: "String", Mutable: true })).toEqual(
      invalid("sub attribute cannot be modified."),
    );
  });
});

describe("attribute values and messages", () => {
  it("reads email_verified and phone_number_verified in any case, and stores them in lower case", async () => {
    const pool = await newPool();
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.Id,
        Username: "ann",
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: "ann@example.com" },
          { Name: "email_verified", Value: "True" },
          { Name: "phone_number", Value: "+15550100" },
          { Name: "phone_number_verified", Value: "TRUE" },
        ],
      }),
    );
    const attrs = async () =>
      Object.fromEntries(
        (await t.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: "ann" }))).UserAttributes!.map(
          (a) => [a.Name, a.Value],
        ),
      );
    expect(await attrs()).toMatchObject({ email_verified: "true", phone_number_verified: "true" });
    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: pool.Id,
        Username: "ann",
        UserAttributes: [{ Name: "email_verified", Value: "False" }],
      }),
    );
    expect(await attrs()).toMatchObject({ email_verified: "false" });
    // A verified email (given as "True") is one ForgotPassword sends its code to.
    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: pool.Id,
        Username: "ann",
        UserAttributes: [{ Name: "email_verified", Value: "tRuE" }],
      }),
    );
    await t.cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId: pool.Id, Username: "ann", Password: "Passw0rd!", Permanent: true }),
    );
    const { clientId } = await createClient(t, pool.Id!);
    const sent = await t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "ann" }));
    expect(sent.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "EMAIL", AttributeName: "email" });
    expect(
      await failure(
        t.cognito.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: pool.Id,
            Username: "ann",
            UserAttributes: [{ Name: "email_verified", Value: "yes" }],
          }),
        ),
      ),
    ).toEqual(invalid("email_verified attribute should be a boolean value."));
  });

  it("names every unknown attribute: the admin and update calls one way, SignUp another", async () => {
    const pool = await newPool();
    await createUser(t, pool.Id!, "bob");
    expect(
      await failure(
        t.cognito.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: pool.Id,
            Username: "bob",
            UserAttributes: [
              { Name: "nickname", Value: "b" },
              { Name: "custom:foo", Value: "1" },
              { Name: "custom:bar", Value: "2" },
            ],
          }),
        ),
      ),
    ).toEqual(
      invalid(
        "Invalid user attributes: user.custom:foo: Attribute does not exist in the schema.\nuser.custom:bar: Attribute does not exist in the schema.\n",
      ),
    );
    expect(
      await failure(
        t.cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: pool.Id,
            Username: "cat",
            UserAttributes: [{ Name: "custom:foo", Value: "1" }],
          }),
        ),
      ),
    ).toEqual(invalid("Invalid user attributes: user.custom:foo: Attribute does not exist in the schema.\n"));
    const { clientId } = await createClient(t, pool.Id!);
    expect(
      await failure(
        t.cognito.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: "dan",
            Password: "Passw0rd!",
            UserAttributes: [{ Name: "custom:foo", Value: "1" }],
          }),
        ),
      ),
    ).toEqual(
      invalid("Attributes did not conform to the schema: custom:foo: Attribute does not exist in the schema.\n"),
    );
  });
});

describe("verification messages", () => {
  const template = {
    EmailMessage: "foo {####} bar",
    EmailSubject: "foobar {####}",
    SmsMessage: "{####} baz",
  };

  it("mirrors VerificationMessageTemplate into the legacy fields, on create and update", async () => {
    const pool = await newPool({ VerificationMessageTemplate: template });
    expect(pool).toMatchObject({
      EmailVerificationMessage: "foo {####} bar",
      EmailVerificationSubject: "foobar {####}",
      SmsVerificationMessage: "{####} baz",
      VerificationMessageTemplate: { ...template, DefaultEmailOption: "CONFIRM_WITH_CODE" },
    });
    await t.cognito.send(
      new UpdateUserPoolCommand({ UserPoolId: pool.Id, VerificationMessageTemplate: { SmsMessage: "code {####}" } }),
    );
    const { UserPool } = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    expect(UserPool!.SmsVerificationMessage).toBe("code {####}");
    expect(UserPool!.VerificationMessageTemplate?.SmsMessage).toBe("code {####}");
    // UpdateUserPool replaces the settings: the email texts it left out are gone from both places.
    expect(UserPool!.EmailVerificationMessage).toBeUndefined();
    expect(UserPool!.VerificationMessageTemplate?.EmailMessage).toBeUndefined();
  });

  it("mirrors the legacy fields into VerificationMessageTemplate, and sends the one text", async () => {
    const pool = await newPool({
      AutoVerifiedAttributes: ["email"],
      EmailVerificationMessage: "Legacy code {####}",
      EmailVerificationSubject: "Legacy subject",
    });
    expect(pool.VerificationMessageTemplate).toEqual({
      DefaultEmailOption: "CONFIRM_WITH_CODE",
      EmailMessage: "Legacy code {####}",
      EmailSubject: "Legacy subject",
    });
    const { clientId } = await createClient(t, pool.Id!);
    await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "eve",
        Password: "Passw0rd!",
        UserAttributes: [{ Name: "email", Value: "eve@example.com" }],
      }),
    );
    const [message] = (await inbox(t, pool.Id!, "eve")) as { subject?: string; message?: string; code?: string }[];
    expect(message).toMatchObject({ subject: "Legacy subject", message: `Legacy code ${message!.code}` });
  });

  it("lets the template win where a caller sets both to different texts", async () => {
    const pool = await newPool({
      SmsVerificationMessage: "legacy {####}",
      VerificationMessageTemplate: { SmsMessage: "template {####}" },
    });
    expect(pool.SmsVerificationMessage).toBe("template {####}");
    expect(pool.VerificationMessageTemplate?.SmsMessage).toBe("template {####}");
  });
});

describe("account recovery", () => {
  it("refuses ForgotPassword in an admin_only pool, for known and unknown names", async () => {
    const pool = await newPool({
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "admin_only", Priority: 1 }] },
    });
    await createUser(t, pool.Id!, "fay");
    const { clientId } = await createClient(t, pool.Id!);
    const refused = { name: "NotAuthorizedException", message: "Contact administrator to reset password." };
    for (const Username of ["fay", "nobody"])
      expect(await failure(t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username })))).toEqual(
        refused,
      );
    expect(await inbox(t, pool.Id!, "fay")).toEqual([]);
  });

  it("answers an unknown name with Cognito's message (LEGACY) or a believable delivery (ENABLED)", async () => {
    const pool = await newPool();
    const legacy = await createClient(t, pool.Id!, { PreventUserExistenceErrors: "LEGACY" });
    expect(
      await failure(t.cognito.send(new ForgotPasswordCommand({ ClientId: legacy.clientId, Username: "nobody" }))),
    ).toEqual({ name: "UserNotFoundException", message: "Username/client id combination not found." });
    const hiding = await createClient(t, pool.Id!, { PreventUserExistenceErrors: "ENABLED" });
    const out = await t.cognito.send(
      new ForgotPasswordCommand({ ClientId: hiding.clientId, Username: "nobody@example.com" }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: expect.stringMatching(/^n\*\*\*@e\*\*\*$/),
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
  });
});

describe("order of checks", () => {
  it("AdminCreateUser RESEND looks the user up before it checks the attributes", async () => {
    const pool = await newPool();
    const resend = (Username: string) =>
      t.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.Id,
          Username,
          MessageAction: "RESEND",
          UserAttributes: [{ Name: "custom:nope", Value: "x" }],
        }),
      );
    expect(await failure(resend("ghost"))).toEqual({ name: "UserNotFoundException", message: "User does not exist." });
    // A user there: the attributes are checked next.
    await t.cognito.send(
      new AdminCreateUserCommand({ UserPoolId: pool.Id, Username: "gus", MessageAction: "SUPPRESS" }),
    );
    expect(await failure(resend("gus"))).toEqual(
      invalid("Invalid user attributes: user.custom:nope: Attribute does not exist in the schema.\n"),
    );
    // A new user with bad attributes and a taken name: the attributes are refused first.
    expect(
      await failure(
        t.cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: pool.Id,
            Username: "gus",
            UserAttributes: [{ Name: "custom:nope", Value: "x" }],
          }),
        ),
      ),
    ).toEqual(invalid("Invalid user attributes: user.custom:nope: Attribute does not exist in the schema.\n"));
  });
});
