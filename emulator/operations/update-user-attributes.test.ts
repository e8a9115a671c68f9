// A user changing their own attributes: UpdateUserAttributes and DeleteUserAttributes.
import {
  type AttributeType,
  DeleteUserAttributesCommand,
  GetUserCommand,
  UpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createClient, createPool, createUser, inbox, signIn } from "../../test-support/auth-fixtures.js";
import { authTest, describe, expect } from "../../test-support/fixtures.js";

let n = 0;
// The file's pool (with name, custom:team and an immutable custom:badge) and client
// (test-support/fixtures.ts), and `api`: a new signed-in user per test and the calls with them.
const it = authTest
  .extend(
    "poolInput",
    { scope: "file" },
    {
      AutoVerifiedAttributes: ["email"],
      Schema: [
        { Name: "name", AttributeDataType: "String", Required: true, Mutable: true },
        { Name: "team", AttributeDataType: "String", Mutable: true },
        { Name: "badge", AttributeDataType: "String", Mutable: false },
      ],
    },
  )
  .extend("api", { scope: "file" }, ({ t, poolId, clientId }) => ({
    async freshUser(extra: Record<string, string> = {}) {
      const username = `user${++n}`;
      await createUser(t, poolId, username, {
        attributes: { email: `${username}@example.com`, email_verified: "true", name: "Some One", ...extra },
      });
      return { username, ...(await signIn(t, clientId, username)) };
    },
    update: (AccessToken: string, attrs: Record<string, string>) =>
      t.cognito.send(
        new UpdateUserAttributesCommand({
          AccessToken,
          UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })),
        }),
      ),
    attributesOf: async (AccessToken: string) =>
      Object.fromEntries(
        ((await t.cognito.send(new GetUserCommand({ AccessToken }))).UserAttributes ?? []).map((a: AttributeType) => [
          a.Name,
          a.Value,
        ]),
      ),
  }));

describe("UpdateUserAttributes", () => {
  it("updates plain and custom attributes with no code sent", async ({ api }) => {
    const u = await api.freshUser();
    const out = await api.update(u.AccessToken, { name: "New Name", "custom:team": "blue" });
    expect(out.CodeDeliveryDetailsList).toBeUndefined();
    expect(await api.attributesOf(u.AccessToken)).toMatchObject({
      name: "New Name",
      "custom:team": "blue",
      email_verified: "true",
    });
  });

  it("a new email becomes unverified and, being auto-verified, gets a code at the new address", async ({
    t,
    poolId,
    api,
  }) => {
    const u = await api.freshUser();
    const out = await api.update(u.AccessToken, { email: "moved@example.org" });
    expect(out.CodeDeliveryDetailsList).toEqual([
      { Destination: "m***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" },
    ]);
    expect(await api.attributesOf(u.AccessToken)).toMatchObject({
      email: "moved@example.org",
      email_verified: "false",
    });
    const sent = (await inbox(t, poolId, u.username)).filter((m) => m.reason === "VerifyUserAttribute");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ destination: "moved@example.org", attributeName: "email" });
    expect(sent[0]!.code).toMatch(/^\d{6}$/);
  });

  it("setting the same email again changes nothing and sends nothing", async ({ api }) => {
    const u = await api.freshUser();
    const out = await api.update(u.AccessToken, { email: `${u.username}@example.com` });
    expect(out.CodeDeliveryDetailsList).toBeUndefined();
    expect(await api.attributesOf(u.AccessToken)).toMatchObject({ email_verified: "true" });
  });

  it("a phone number that is not auto-verified is stored unverified with no code", async ({ api }) => {
    const u = await api.freshUser();
    const out = await api.update(u.AccessToken, { phone_number: "+15555550123" });
    expect(out.CodeDeliveryDetailsList).toBeUndefined();
    expect(await api.attributesOf(u.AccessToken)).toMatchObject({
      phone_number: "+15555550123",
      phone_number_verified: "false",
    });
  });

  it("a blank value deletes the attribute", async ({ api }) => {
    const u = await api.freshUser({ "custom:team": "red" });
    await api.update(u.AccessToken, { "custom:team": "" });
    expect(await api.attributesOf(u.AccessToken)).not.toHaveProperty("custom:team");
  });

  it("refuses immutable, unknown and required-but-blank attributes, changing nothing", async ({ api }) => {
    const u = await api.freshUser({ "custom:badge": "B-1" });
    await expect(api.update(u.AccessToken, { "custom:badge": "B-2" })).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Cannot modify an immutable attribute: custom:badge",
    });
    await expect(api.update(u.AccessToken, { "custom:nope": "x" })).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid user attributes: user.custom:nope: Attribute does not exist in the schema.\n",
    });
    await expect(api.update(u.AccessToken, { name: "" })).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid attributes given, name is missing",
    });
    await expect(api.update(u.AccessToken, { sub: "x" })).rejects.toMatchObject({ name: "InvalidParameterException" });
    expect(await api.attributesOf(u.AccessToken)).toMatchObject({ "custom:badge": "B-1", name: "Some One" });
  });

  it("refuses attributes outside the client's WriteAttributes", async ({ t, poolId, api }) => {
    const { clientId: limited } = await createClient(t, poolId, { WriteAttributes: ["name"] });
    const username = `limited${++n}`;
    await createUser(t, poolId, username, { attributes: { email: `${username}@example.com`, name: "L" } });
    const { AccessToken } = await signIn(t, limited, username);
    await expect(api.update(AccessToken, { name: "Allowed" })).resolves.toBeDefined();
    await expect(api.update(AccessToken, { "custom:team": "x" })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "A client attempted to write unauthorized attribute",
    });
  });

  it("refuses an email another user signs in with, in an email-as-username pool", async ({ t, api }) => {
    const emailPool = await createPool(t, { UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"] });
    const { clientId: ec } = await createClient(t, emailPool);
    await createUser(t, emailPool, "taken@example.com", { attributes: { email_verified: "true" } });
    await createUser(t, emailPool, "mine@example.com", { attributes: { email_verified: "true" } });
    const { AccessToken } = await signIn(t, ec, "mine@example.com");
    await expect(api.update(AccessToken, { email: "taken@example.com" })).rejects.toMatchObject({
      name: "AliasExistsException",
      message: "An account with the given email already exists.",
    });
  });

  it("refuses a revoked or invalid access token", async ({ api }) => {
    await expect(api.update("garbage", { name: "x" })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });
  });
});

describe("DeleteUserAttributes", () => {
  it("deletes attributes; deleting the email takes email_verified with it", async ({ t, api }) => {
    const u = await api.freshUser({ "custom:team": "red" });
    await t.cognito.send(
      new DeleteUserAttributesCommand({ AccessToken: u.AccessToken, UserAttributeNames: ["custom:team", "email"] }),
    );
    const attrs = await api.attributesOf(u.AccessToken);
    expect(attrs).not.toHaveProperty("custom:team");
    expect(attrs).not.toHaveProperty("email");
    expect(attrs).not.toHaveProperty("email_verified");
    expect(attrs).toHaveProperty("name", "Some One");
  });

  it("refuses required, immutable and unknown attributes", async ({ t, api }) => {
    const u = await api.freshUser({ "custom:badge": "B-1" });
    const del = (names: string[]) =>
      t.cognito.send(new DeleteUserAttributesCommand({ AccessToken: u.AccessToken, UserAttributeNames: names }));
    await expect(del(["name"])).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid attributes given, name is missing",
    });
    await expect(del(["custom:badge"])).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Cannot modify an immutable attribute: custom:badge",
    });
    await expect(del(["custom:nope"])).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid user attributes: user.custom:nope: Attribute does not exist in the schema.\n",
    });
  });
});
