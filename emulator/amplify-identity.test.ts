// Amplify v6 (`aws-amplify/auth`) in Node with a user pool and an identity pool, both pointed at
// the emulator (`userPoolEndpoint` and `identityPoolEndpoint`): fetchAuthSession gives guest
// credentials before sign-in and the signed-in user's identity id and credentials after it, as
// an app calling AWS services from the browser needs (docs/identity-pools.md).
import type { CognitoIdentityClient } from "@aws-sdk/client-cognito-identity";
import { Amplify } from "aws-amplify";
import { fetchAuthSession, signIn, signOut } from "aws-amplify/auth";
import { ConsoleLogger } from "aws-amplify/utils";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD } from "../test-support/auth-fixtures.js";
import { createIdentityPool, identityClient, ROLES } from "../test-support/identity-fixtures.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";

let t: TestTwin;
let ci: CognitoIdentityClient;
beforeAll(async () => {
  ConsoleLogger.LOG_LEVEL = "ERROR";
  t = await startTwin();
  ci = identityClient(t.url);
});
afterEach(async () => {
  await signOut().catch(() => undefined);
});
afterAll(async () => {
  ci.destroy();
  await t.close();
});

/** Whose the credentials are, from the emulator's test control. */
async function owner(accessKeyId: string): Promise<{ identityId: string; roleArn: string; authenticated: boolean }> {
  const res = await fetch(`${t.url}/_twin/identity-credentials?accessKeyId=${accessKeyId}`);
  expect(res.status).toBe(200);
  return (await res.json()) as never;
}

describe("Amplify v6 fetchAuthSession with an identity pool", () => {
  it("gives guest credentials before sign-in, and the user's identity and credentials after", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    await createUser(t, poolId, "amy");
    const identityPoolId = await createIdentityPool(ci, { poolId, clientId });
    Amplify.configure({
      Auth: {
        Cognito: {
          userPoolId: poolId,
          userPoolClientId: clientId,
          identityPoolId,
          allowGuestAccess: true,
          userPoolEndpoint: t.url,
          identityPoolEndpoint: t.url,
        },
      },
    });

    const guest = await fetchAuthSession();
    expect(guest.tokens).toBeUndefined();
    expect(guest.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(guest.credentials!.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(await owner(guest.credentials!.accessKeyId)).toMatchObject({
      identityId: guest.identityId,
      roleArn: ROLES.unauthenticated,
      authenticated: false,
    });

    expect(await signIn({ username: "amy", password: PASSWORD })).toMatchObject({ isSignedIn: true });
    const session = await fetchAuthSession();
    expect(session.tokens?.idToken).toBeDefined();
    expect(session.identityId).toMatch(/^us-east-1:/);
    expect(session.credentials!.expiration!.getTime()).toBeGreaterThan(Date.now());
    expect(await owner(session.credentials!.accessKeyId)).toMatchObject({
      identityId: session.identityId,
      roleArn: ROLES.authenticated,
      authenticated: true,
    });
    // The same identity on the next refresh of the credentials.
    const again = await fetchAuthSession({ forceRefresh: true });
    expect(again.identityId).toBe(session.identityId);
  });
});
