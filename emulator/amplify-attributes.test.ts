// Amplify JS v6's updateUserAttributes / confirmUserAttribute against a pool that keeps the
// verified email until the new one is verified (AttributesRequireVerificationBeforeUpdate):
// Amplify reports the change as not yet made (CONFIRM_ATTRIBUTE_WITH_CODE) and the old value
// stays what fetchUserAttributes shows until the code is confirmed.
import { Amplify } from "aws-amplify";
import { confirmUserAttribute, fetchUserAttributes, signIn, signOut, updateUserAttributes } from "aws-amplify/auth";
import { ConsoleLogger } from "aws-amplify/utils";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, inbox, PASSWORD } from "../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";

let t: TestTwin;
beforeAll(async () => {
  ConsoleLogger.LOG_LEVEL = "ERROR";
  t = await startTwin();
});
afterEach(async () => {
  await signOut().catch(() => undefined);
});
afterAll(() => t.close());

describe("Amplify v6 updateUserAttributes with AttributesRequireVerificationBeforeUpdate", () => {
  it("answers CONFIRM_ATTRIBUTE_WITH_CODE, keeps the old email until confirmUserAttribute", async () => {
    const poolId = await createPool(t, {
      AliasAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
    });
    const { clientId } = await createClient(t, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    Amplify.configure({
      Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: t.url } },
    });
    await createUser(t, poolId, "amy", { attributes: { email: "amy@example.com", email_verified: "true" } });
    await signIn({ username: "amy", password: PASSWORD });

    const out = await updateUserAttributes({ userAttributes: { email: "amy.new@example.com" } });
    expect(out.email).toEqual({
      isUpdated: false,
      nextStep: {
        updateAttributeStep: "CONFIRM_ATTRIBUTE_WITH_CODE",
        codeDeliveryDetails: { attributeName: "email", deliveryMedium: "EMAIL", destination: "a***@e***" },
      },
    });
    expect(await fetchUserAttributes()).toMatchObject({ email: "amy@example.com", email_verified: "true" });

    const [message] = (await inbox(t, poolId, "amy")).slice(-1);
    expect(message?.destination).toBe("amy.new@example.com");
    await confirmUserAttribute({ userAttributeKey: "email", confirmationCode: message!.code! });
    expect(await fetchUserAttributes()).toMatchObject({ email: "amy.new@example.com", email_verified: "true" });
    // The new email is the alias now: Amplify signs in with it.
    await signOut();
    await expect(signIn({ username: "amy.new@example.com", password: PASSWORD })).resolves.toMatchObject({
      isSignedIn: true,
    });
  });
});
