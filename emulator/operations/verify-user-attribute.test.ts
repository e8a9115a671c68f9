// Proving an email or phone number: GetUserAttributeVerificationCode then VerifyUserAttribute.
import {
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createUser, inbox, signIn } from "../../test-support/auth-fixtures.js";
import { authTest, describe, expect } from "../../test-support/fixtures.js";
import { cloneUser } from "../domain/users/records.js";

let n = 0;
// The file's pool (email auto-verified) and client (test-support/fixtures.ts), and `api`: a new
// signed-in user per test, and the calls and inbox reads with them.
const it = authTest
  .extend("poolInput", { scope: "file" }, { AutoVerifiedAttributes: ["email"] })
  .extend("api", { scope: "file" }, ({ t, poolId, clientId }) => ({
    async freshUser(attributes: Record<string, string>) {
      const username = `verifier${++n}`;
      await createUser(t, poolId, username, { attributes });
      return { username, ...(await signIn(t, clientId, username)) };
    },
    getCode: (AccessToken: string, AttributeName: string) =>
      t.cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName })),
    verify: (AccessToken: string, AttributeName: string, Code: string) =>
      t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName, Code })),
    lastCode: async (username: string) =>
      (await inbox(t, poolId, username)).filter((m) => m.reason === "VerifyUserAttribute").at(-1)!.code!,
    verified: async (AccessToken: string, name: string) =>
      (await t.cognito.send(new GetUserCommand({ AccessToken }))).UserAttributes?.find(
        (a) => a.Name === `${name}_verified`,
      )?.Value,
  }));
const wrong = (code: string) => (code === "000000" ? "111111" : "000000");

describe("GetUserAttributeVerificationCode + VerifyUserAttribute", () => {
  it("verifies an email with the code from the inbox", async ({ api }) => {
    const u = await api.freshUser({ email: "unverified@example.com" });
    const out = await api.getCode(u.AccessToken, "email");
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "u***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    await api.verify(u.AccessToken, "email", await api.lastCode(u.username));
    expect(await api.verified(u.AccessToken, "email")).toBe("true");
  });

  it("verifies a phone number by SMS", async ({ api }) => {
    const u = await api.freshUser({ phone_number: "+15555550199" });
    const out = await api.getCode(u.AccessToken, "phone_number");
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "+*******0199",
      DeliveryMedium: "SMS",
      AttributeName: "phone_number",
    });
    await api.verify(u.AccessToken, "phone_number", await api.lastCode(u.username));
    expect(await api.verified(u.AccessToken, "phone_number")).toBe("true");
  });

  it("verifies a changed email with the code UpdateUserAttributes sent", async ({ t, api }) => {
    const u = await api.freshUser({ email: "old@example.com", email_verified: "true" });
    await t.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: u.AccessToken,
        UserAttributes: [{ Name: "email", Value: "new@example.com" }],
      }),
    );
    expect(await api.verified(u.AccessToken, "email")).toBe("false");
    await api.verify(u.AccessToken, "email", await api.lastCode(u.username));
    expect(await api.verified(u.AccessToken, "email")).toBe("true");
  });

  it("refuses a wrong code, a used code, and no code at all", async ({ api }) => {
    const u = await api.freshUser({ email: "a@example.com" });
    await expect(api.verify(u.AccessToken, "email", "123456")).rejects.toMatchObject({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
    await api.getCode(u.AccessToken, "email");
    const code = await api.lastCode(u.username);
    await expect(api.verify(u.AccessToken, "email", wrong(code))).rejects.toMatchObject({
      name: "CodeMismatchException",
      message: "Invalid verification code provided, please try again.",
    });
    await api.verify(u.AccessToken, "email", code);
    await expect(api.verify(u.AccessToken, "email", code)).rejects.toMatchObject({ name: "ExpiredCodeException" });
  });

  it("refuses an expired code (24 hours)", async ({ t, poolId, api }) => {
    const u = await api.freshUser({ email: "late@example.com" });
    await api.getCode(u.AccessToken, "email");
    const code = await api.lastCode(u.username);
    const { store, clock } = t.twin.services;
    // Age the code rather than the token, which expires sooner than the code.
    const user = cloneUser(store.getUser(poolId, u.username)!);
    store.putUser({
      ...user,
      codes: { ...user.codes, "verify:email": { ...user.codes["verify:email"]!, expiresAt: clock.now() - 1 } },
    });
    await expect(api.verify(u.AccessToken, "email", code)).rejects.toMatchObject({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
  });

  it("stops accepting codes after too many wrong ones", async ({ api }) => {
    const u = await api.freshUser({ email: "guess@example.com" });
    await api.getCode(u.AccessToken, "email");
    const code = await api.lastCode(u.username);
    for (let i = 0; i < 5; i++)
      await expect(api.verify(u.AccessToken, "email", wrong(code))).rejects.toMatchObject({
        name: "CodeMismatchException",
      });
    await expect(api.verify(u.AccessToken, "email", code)).rejects.toMatchObject({
      name: "LimitExceededException",
      message: "Attempt limit exceeded, please try after some time.",
    });
  });

  it("refuses attributes that cannot be verified, or that the user lacks", async ({ api }) => {
    const u = await api.freshUser({ email: "x@example.com" });
    await expect(api.getCode(u.AccessToken, "name")).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(api.getCode(u.AccessToken, "phone_number")).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
    await expect(api.verify(u.AccessToken, "name", "123456")).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
  });

  it("refuses invalid access tokens", async ({ api }) => {
    await expect(api.getCode("garbage", "email")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });
    await expect(api.verify("garbage", "email", "123456")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });
  });
});
