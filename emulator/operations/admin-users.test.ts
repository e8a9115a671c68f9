// Administrators managing users through SDK v3: reading, changing and deleting attributes,
// disabling and enabling, deleting, in pools with plain usernames, email as username and aliases.
import {
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, inbox, PASSWORD, signIn } from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
let namePool: string;
let nameClient: string;
let emailPool: string;
let emailClient: string;

beforeAll(async () => {
  t = await startTwin();
  namePool = await createPool(t, { Schema: [{ Name: "tier", AttributeDataType: "String", Mutable: true }] });
  ({ clientId: nameClient } = await createClient(t, namePool));
  emailPool = await createPool(t, {
    UsernameAttributes: ["email"],
    Schema: [{ Name: "name", AttributeDataType: "String", Required: true, Mutable: true }],
  });
  ({ clientId: emailClient } = await createClient(t, emailPool));
});
afterAll(() => t.close());

const getAdmin = (UserPoolId: string, Username: string) =>
  t.cognito.send(new AdminGetUserCommand({ UserPoolId, Username }));
const attrsOf = (list: { Name?: string; Value?: string }[] | undefined) =>
  Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));

describe("AdminGetUser", () => {
  it("answers the user's attributes, dates, status and MFA settings", async () => {
    const before = t.twin.services.clock.now() / 1000;
    await createUser(t, namePool, "Alice", {
      attributes: { email: "alice@example.com", email_verified: "true", "custom:tier": "gold" },
    });
    const user = await getAdmin(namePool, "alice");
    expect(user.Username).toBe("Alice");
    expect(user.Enabled).toBe(true);
    expect(user.UserStatus).toBe("CONFIRMED");
    expect(user.UserCreateDate).toBeInstanceOf(Date);
    expect(user.UserCreateDate!.getTime() / 1000).toBeGreaterThanOrEqual(Math.floor(before));
    expect(user.UserLastModifiedDate!.getTime()).toBeGreaterThanOrEqual(user.UserCreateDate!.getTime());
    expect(attrsOf(user.UserAttributes)).toMatchObject({
      email: "alice@example.com",
      email_verified: "true",
      "custom:tier": "gold",
    });
    expect(user.UserAttributes![0]!.Name).toBe("sub");
    expect(user.UserMFASettingList).toBeUndefined();
    expect(user.PreferredMfaSetting).toBeUndefined();
  });

  it("finds users by email in an email-as-username pool, and by their UUID username", async () => {
    const { UserSub } = await t.cognito.send(
      new SignUpCommand({
        ClientId: emailClient,
        Username: "Bea@Example.com",
        Password: PASSWORD,
        UserAttributes: [{ Name: "name", Value: "Bea" }],
      }),
    );
    const byEmail = await getAdmin(emailPool, "bea@example.com");
    expect(byEmail.Username).toBe(UserSub);
    expect(byEmail.UserStatus).toBe("UNCONFIRMED");
    expect((await getAdmin(emailPool, UserSub!)).Username).toBe(UserSub);
  });

  it("finds users by a verified alias, and by exact case in a case-sensitive pool", async () => {
    const aliasPool = await createPool(t, { AliasAttributes: ["email", "preferred_username"] });
    await createUser(t, aliasPool, "lou", {
      attributes: { email: "lou@example.com", email_verified: "true", preferred_username: "lulu" },
    });
    await createUser(t, aliasPool, "max", { attributes: { email: "max@example.com", email_verified: "false" } });
    expect((await getAdmin(aliasPool, "LOU@example.com")).Username).toBe("lou");
    expect((await getAdmin(aliasPool, "lulu")).Username).toBe("lou");
    await expect(getAdmin(aliasPool, "max@example.com")).rejects.toMatchObject({ name: "UserNotFoundException" });

    const strictPool = await createPool(t, { UsernameConfiguration: { CaseSensitive: true } });
    await createUser(t, strictPool, "Nia");
    expect((await getAdmin(strictPool, "Nia")).Username).toBe("Nia");
    await expect(getAdmin(strictPool, "nia")).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });

  it("answers UserNotFoundException and ResourceNotFoundException", async () => {
    await expect(getAdmin(namePool, "nobody")).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    await expect(getAdmin("us-east-1_missing1", "x")).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_missing1 does not exist.",
    });
  });
});

describe("AdminUpdateUserAttributes", () => {
  it("unverifies a changed email, sends a code for it, and lets the admin set email_verified", async () => {
    await createUser(t, namePool, "carl", { attributes: { email: "carl@example.com", email_verified: "true" } });
    const modifiedBefore = (await getAdmin(namePool, "carl")).UserLastModifiedDate!.getTime();
    t.twin.services.clock.advance(5);
    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: namePool,
        Username: "carl",
        UserAttributes: [
          { Name: "email", Value: "carl@new.example.com" },
          { Name: "custom:tier", Value: "silver" },
        ],
      }),
    );
    let user = await getAdmin(namePool, "carl");
    expect(attrsOf(user.UserAttributes)).toMatchObject({
      email: "carl@new.example.com",
      email_verified: "false",
      "custom:tier": "silver",
    });
    expect(user.UserLastModifiedDate!.getTime()).toBeGreaterThan(modifiedBefore);
    const [message] = await inbox(t, namePool, "carl");
    expect(message).toMatchObject({
      reason: "VerifyUserAttribute",
      attributeName: "email",
      destination: "carl@new.example.com",
    });
    expect(message!.code).toMatch(/^\d{6}$/);

    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: namePool,
        Username: "carl",
        UserAttributes: [{ Name: "email_verified", Value: "true" }],
      }),
    );
    user = await getAdmin(namePool, "carl");
    expect(attrsOf(user.UserAttributes).email_verified).toBe("true");

    // Changing email and marking it verified in one call sends nothing.
    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: namePool,
        Username: "carl",
        UserAttributes: [
          { Name: "email", Value: "carl@third.example.com" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    expect(attrsOf((await getAdmin(namePool, "carl")).UserAttributes)).toMatchObject({
      email: "carl@third.example.com",
      email_verified: "true",
    });
    expect(await inbox(t, namePool, "carl")).toHaveLength(1);
  });

  it("moves the sign-in name with the email in an email-as-username pool, and refuses a taken one", async () => {
    await createUser(t, emailPool, "dora@example.com", {
      attributes: { email: "dora@example.com", email_verified: "true", name: "Dora" },
    });
    await createUser(t, emailPool, "ed@example.com", {
      attributes: { email: "ed@example.com", email_verified: "true", name: "Ed" },
    });
    await expect(
      t.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: emailPool,
          Username: "dora@example.com",
          UserAttributes: [{ Name: "email", Value: "ED@example.com" }],
        }),
      ),
    ).rejects.toMatchObject({
      name: "AliasExistsException",
      message: "An account with the given email already exists.",
    });
    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: emailPool,
        Username: "dora@example.com",
        UserAttributes: [
          { Name: "email", Value: "dora@new.example.com" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    await signIn(t, emailClient, "dora@new.example.com");
    await expect(getAdmin(emailPool, "dora@example.com")).rejects.toMatchObject({ name: "UserNotFoundException" });
  });

  it("refuses attributes outside the schema, immutable ones, and blanking a required one", async () => {
    await createUser(t, namePool, "fay");
    const update = (Name: string, Value: string) =>
      t.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: namePool,
          Username: "fay",
          UserAttributes: [{ Name, Value }],
        }),
      );
    await expect(update("custom:unknown", "x")).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid user attributes: user.custom:unknown: Attribute does not exist in the schema.\n",
    });
    await expect(update("sub", "x")).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Cannot modify an immutable attribute: sub",
    });
    await createUser(t, emailPool, "gil@example.com", {
      attributes: { email: "gil@example.com", email_verified: "true", name: "Gil" },
    });
    await expect(
      t.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: emailPool,
          Username: "gil@example.com",
          UserAttributes: [{ Name: "name", Value: "" }],
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid attributes given, name is missing",
    });
    await expect(
      t.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: namePool,
          Username: "nobody",
          UserAttributes: [{ Name: "name", Value: "x" }],
        }),
      ),
    ).rejects.toMatchObject({
      name: "UserNotFoundException",
    });
  });
});

describe("AdminDeleteUserAttributes", () => {
  it("removes attributes, an email with its verified flag", async () => {
    await createUser(t, namePool, "hal", {
      attributes: { email: "hal@example.com", email_verified: "true", "custom:tier": "gold", given_name: "Hal" },
    });
    await t.cognito.send(
      new AdminDeleteUserAttributesCommand({
        UserPoolId: namePool,
        Username: "HAL",
        UserAttributeNames: ["email", "custom:tier"],
      }),
    );
    const attrs = attrsOf((await getAdmin(namePool, "hal")).UserAttributes);
    expect(attrs).not.toHaveProperty("email");
    expect(attrs).not.toHaveProperty("email_verified");
    expect(attrs).not.toHaveProperty("custom:tier");
    expect(attrs.given_name).toBe("Hal");
  });

  it("refuses required, immutable and unknown attributes", async () => {
    await createUser(t, emailPool, "ida@example.com", {
      attributes: { email: "ida@example.com", email_verified: "true", name: "Ida" },
    });
    const del = (name: string) =>
      t.cognito.send(
        new AdminDeleteUserAttributesCommand({
          UserPoolId: emailPool,
          Username: "ida@example.com",
          UserAttributeNames: [name],
        }),
      );
    await expect(del("name")).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid attributes given, name is missing",
    });
    await expect(del("sub")).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Cannot modify an immutable attribute: sub",
    });
    await expect(del("custom:nope")).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid user attributes: user.custom:nope: Attribute does not exist in the schema.\n",
    });
  });
});

describe("AdminDisableUser and AdminEnableUser", () => {
  it("refuses sign-in and existing tokens while disabled; enabling again lets the user sign in, not the old tokens", async () => {
    await createUser(t, namePool, "jo");
    const tokens = await signIn(t, nameClient, "jo");
    await t.cognito.send(new AdminDisableUserCommand({ UserPoolId: namePool, Username: "Jo" }));
    expect((await getAdmin(namePool, "jo")).Enabled).toBe(false);
    await expect(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: nameClient,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "jo", PASSWORD: PASSWORD },
        }),
      ),
    ).rejects.toMatchObject({ name: "NotAuthorizedException", message: "User is disabled." });
    await expect(t.cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
    });
    await expect(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: nameClient,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
        }),
      ),
    ).rejects.toMatchObject({ name: "NotAuthorizedException" });

    await t.cognito.send(new AdminEnableUserCommand({ UserPoolId: namePool, Username: "jo" }));
    expect((await getAdmin(namePool, "jo")).Enabled).toBe(true);
    await expect(t.cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Access Token has been revoked",
    });
    const fresh = await signIn(t, nameClient, "jo");
    expect((await t.cognito.send(new GetUserCommand({ AccessToken: fresh.AccessToken }))).Username).toBe("jo");
    // Both are idempotent.
    await t.cognito.send(new AdminEnableUserCommand({ UserPoolId: namePool, Username: "jo" }));
    await t.cognito.send(new AdminDisableUserCommand({ UserPoolId: namePool, Username: "jo" }));
    await t.cognito.send(new AdminDisableUserCommand({ UserPoolId: namePool, Username: "jo" }));
  });

  it("answers UserNotFoundException for unknown users", async () => {
    await expect(
      t.cognito.send(new AdminDisableUserCommand({ UserPoolId: namePool, Username: "nobody" })),
    ).rejects.toMatchObject({ name: "UserNotFoundException", message: "User does not exist." });
    await expect(
      t.cognito.send(new AdminEnableUserCommand({ UserPoolId: namePool, Username: "nobody" })),
    ).rejects.toMatchObject({ name: "UserNotFoundException", message: "User does not exist." });
  });
});

describe("AdminDeleteUser", () => {
  it("deletes the user (found by email), its tokens stop working, and the name is free again", async () => {
    await createUser(t, emailPool, "kim@example.com", {
      attributes: { email: "kim@example.com", email_verified: "true", name: "Kim" },
    });
    const tokens = await signIn(t, emailClient, "kim@example.com");
    await t.cognito.send(new AdminDeleteUserCommand({ UserPoolId: emailPool, Username: "KIM@example.com" }));
    await expect(getAdmin(emailPool, "kim@example.com")).rejects.toMatchObject({ name: "UserNotFoundException" });
    await expect(t.cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({
      name: expect.stringMatching(/NotAuthorizedException|UserNotFoundException/),
    });
    await expect(
      t.cognito.send(new AdminDeleteUserCommand({ UserPoolId: emailPool, Username: "kim@example.com" })),
    ).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: emailPool,
        Username: "kim@example.com",
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "name", Value: "Kim 2" }],
      }),
    );
  });
});
