// Proving an email or phone number: GetUserAttributeVerificationCode then VerifyUserAttribute.
import {
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, inbox, signIn } from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
let poolId: string;
let clientId: string;
let n = 0;

beforeAll(async () => {
  t = await startTwin();
  poolId = await createPool(t, { AutoVerifiedAttributes: ["email"] });
  ({ clientId } = await createClient(t, poolId));
});
afterAll(() => t.close());

async function freshUser(attributes: Record<string, string>) {
  const username = `verifier${++n}`;
  await createUser(t, poolId, username, { attributes });
  return { username, ...(await signIn(t, clientId, username)) };
}
const getCode = (AccessToken: string, AttributeName: string) =>
  t.cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName }));
const verify = (AccessToken: string, AttributeName: string, Code: string) =>
  t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName, Code }));
const lastCode = async (username: string) =>
  (await inbox(t, poolId, username)).filter((m) => m.reason === "VerifyUserAttribute").at(-1)!.code!;
const verified = async (AccessToken: string, name: string) =>
  (await t.cognito.send(new GetUserCommand({ AccessToken }))).UserAttributes?.find((a) => a.Name === `${name}_verified`)
    ?.Value;
const wrong = (code: string) => (code === "000000" ? "111111" : "000000");

describe("GetUserAttributeVerificationCode + VerifyUserAttribute", () => {
  it("verifies an email with the code from the inbox", async () => {
    const u = await freshUser({ email: "unverified@example.com" });
    const out = await getCode(u.AccessToken, "email");
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "u***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    await verify(u.AccessToken, "email", await lastCode(u.username));
    expect(await verified(u.AccessToken, "email")).toBe("true");
  });

  it("verifies a phone number by SMS", async () => {
    const u = await freshUser({ phone_number: "+15555550199" });
    const out = await getCode(u.AccessToken, "phone_number");
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "+*******0199",
      DeliveryMedium: "SMS",
      AttributeName: "phone_number",
    });
    await verify(u.AccessToken, "phone_number", await lastCode(u.username));
    expect(await verified(u.AccessToken, "phone_number")).toBe("true");
  });

  it("verifies a changed email with the code UpdateUserAttributes sent", async () => {
    const u = await freshUser({ email: "old@example.com", email_verified: "true" });
    await t.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: u.AccessToken,
        UserAttributes: [{ Name: "email", Value: "new@example.com" }],
      }),
    );
    expect(await verified(u.AccessToken, "email")).toBe("false");
    await verify(u.AccessToken, "email", await lastCode(u.username));
    expect(await verified(u.AccessToken, "email")).toBe("true");
  });

  it("refuses a wrong code, a used code, and no code at all", async () => {
    const u = await freshUser({ email: "a@example.com" });
    await expect(verify(u.AccessToken, "email", "123456")).rejects.toMatchObject({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
    await getCode(u.AccessToken, "email");
    const code = await lastCode(u.username);
    await expect(verify(u.AccessToken, "email", wrong(code))).rejects.toMatchObject({
      name: "CodeMismatchException",
      message: "Invalid verification code provided, please try again.",
    });
    await verify(u.AccessToken, "email", code);
    await expect(verify(u.AccessToken, "email", code)).rejects.toMatchObject({ name: "ExpiredCodeException" });
  });

  it("refuses an expired code (24 hours)", async () => {
    const u = await freshUser({ email: "late@example.com" });
    await getCode(u.AccessToken, "email");
    const code = await lastCode(u.username);
    const { store, clock } = t.twin.services;
    // Age the code rather than the token, which expires sooner than the code.
    const user = store.getUser(poolId, u.username)!;
    store.putUser({
      ...user,
      codes: { ...user.codes, "verify:email": { ...user.codes["verify:email"]!, expiresAt: clock.now() - 1 } },
    });
    await expect(verify(u.AccessToken, "email", code)).rejects.toMatchObject({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
  });

  it("stops accepting codes after too many wrong ones", async () => {
    const u = await freshUser({ email: "guess@example.com" });
    await getCode(u.AccessToken, "email");
    const code = await lastCode(u.username);
    for (let i = 0; i < 5; i++)
      await expect(verify(u.AccessToken, "email", wrong(code))).rejects.toMatchObject({
        name: "CodeMismatchException",
      });
    await expect(verify(u.AccessToken, "email", code)).rejects.toMatchObject({
      name: "LimitExceededException",
      message: "Attempt limit exceeded, please try after some time.",
    });
  });

  it("refuses attributes that cannot be verified, or that the user lacks", async () => {
    const u = await freshUser({ email: "x@example.com" });
    await expect(getCode(u.AccessToken, "name")).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(getCode(u.AccessToken, "phone_number")).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(verify(u.AccessToken, "name", "123456")).rejects.toMatchObject({ name: "InvalidParameterException" });
  });

  it("refuses invalid access tokens", async () => {
    await expect(getCode("garbage", "email")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });
    await expect(verify("garbage", "email", "123456")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });
  });
});
