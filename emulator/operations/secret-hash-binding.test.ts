// SECRET_HASH is bound to the user it is for (issue 12 §3, docs/decisions/0014-brute-force-limits.md):
// on a refresh, the user the refresh token belongs to (their username, or their sub), whatever
// USERNAME the caller sends; in a challenge answer, the session's user.
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  type AuthFlowType,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimsOf,
  createClient,
  createPool,
  createUser,
  PASSWORD,
  secretHash,
  signIn,
} from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;

beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

const mismatch = (clientId: string) => ({
  name: "NotAuthorizedException",
  message: `Unable to verify secret hash for client ${clientId}`,
});

/** A pool (`input`), a client of it with a secret, and users `names`. */
async function secretPool(names: string[], input: Parameters<typeof createPool>[1] = {}) {
  const poolId = await createPool(t, input);
  const { clientId, clientSecret } = await createClient(t, poolId, { GenerateSecret: true });
  for (const n of names) await createUser(t, poolId, n);
  const hash = (name: string) => secretHash(clientSecret!, name, clientId);
  return { poolId, clientId, clientSecret: clientSecret!, hash };
}

describe("REFRESH_TOKEN_AUTH with a client secret", () => {
  const refreshers = {
    InitiateAuth: (ids: { poolId: string; clientId: string }, AuthFlow: AuthFlowType, params: Record<string, string>) =>
      t.cognito.send(new InitiateAuthCommand({ ClientId: ids.clientId, AuthFlow, AuthParameters: params })),
    AdminInitiateAuth: (
      ids: { poolId: string; clientId: string },
      AuthFlow: AuthFlowType,
      params: Record<string, string>,
    ) =>
      t.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: ids.poolId,
          ClientId: ids.clientId,
          AuthFlow,
          AuthParameters: params,
        }),
      ),
  };

  it.each(Object.keys(refreshers) as (keyof typeof refreshers)[])(
    "%s refuses a SECRET_HASH computed for another user, or for nobody, whatever USERNAME says",
    async (operation) => {
      const refresh = refreshers[operation];
      const ids = await secretPool(["alice", "bob"]);
      const tokens = await signIn(t, ids.clientId, "alice", PASSWORD, ids.clientSecret);
      for (const flow of ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"] as const) {
        for (const other of ["bob", "nobody"]) {
          await expect(
            refresh(ids, flow, { REFRESH_TOKEN: tokens.RefreshToken, USERNAME: other, SECRET_HASH: ids.hash(other) }),
          ).rejects.toMatchObject(mismatch(ids.clientId));
          await expect(
            refresh(ids, flow, { REFRESH_TOKEN: tokens.RefreshToken, SECRET_HASH: ids.hash(other) }),
          ).rejects.toMatchObject(mismatch(ids.clientId));
        }
        // The token's user: by username (with or without USERNAME beside it), or by sub.
        const sub = claimsOf(tokens.AccessToken).sub as string;
        const accepted: Record<string, string>[] = [
          { SECRET_HASH: ids.hash("alice") },
          { USERNAME: "bob", SECRET_HASH: ids.hash("alice") },
          { SECRET_HASH: ids.hash(sub) },
        ];
        for (const params of accepted) {
          const out = await refresh(ids, flow, { REFRESH_TOKEN: tokens.RefreshToken, ...params });
          expect(claimsOf(out.AuthenticationResult!.AccessToken!).sub).toBe(sub);
        }
      }
    },
  );

  it("in an email-as-username pool takes the username (the sub), not the email the user signs in with", async () => {
    const ids = await secretPool([], { UsernameAttributes: ["email"] });
    await createUser(t, ids.poolId, "ellie@example.com", {
      attributes: { email: "ellie@example.com", email_verified: "true" },
    });
    const tokens = await signIn(t, ids.clientId, "ellie@example.com", PASSWORD, ids.clientSecret);
    const username = claimsOf(tokens.AccessToken).username as string;
    expect(username).toBe(claimsOf(tokens.AccessToken).sub);
    expect(username).not.toContain("@");
    await expect(
      refreshers.InitiateAuth(ids, "REFRESH_TOKEN_AUTH", {
        REFRESH_TOKEN: tokens.RefreshToken,
        USERNAME: "ellie@example.com",
        SECRET_HASH: ids.hash("ellie@example.com"),
      }),
    ).rejects.toMatchObject(mismatch(ids.clientId));
    const out = await refreshers.InitiateAuth(ids, "REFRESH_TOKEN_AUTH", {
      REFRESH_TOKEN: tokens.RefreshToken,
      SECRET_HASH: ids.hash(username),
    });
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

describe("challenge answers with a client secret", () => {
  it("bind USERNAME and SECRET_HASH to the session's user", async () => {
    const ids = await secretPool([]);
    for (const Username of ["temp", "other"]) {
      await t.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: ids.poolId,
          Username,
          TemporaryPassword: "Temp-Passw0rd!",
          MessageAction: "SUPPRESS",
        }),
      );
    }
    const started = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: ids.clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "temp", PASSWORD: "Temp-Passw0rd!", SECRET_HASH: ids.hash("temp") },
      }),
    );
    expect(started.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const respond = (responses: Record<string, string>) =>
      t.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: ids.clientId,
          ChallengeName: "NEW_PASSWORD_REQUIRED",
          Session: started.Session,
          ChallengeResponses: { NEW_PASSWORD: PASSWORD, ...responses },
        }),
      );
    await expect(respond({ USERNAME: "other", SECRET_HASH: ids.hash("other") })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid session for the user.",
    });
    await expect(respond({ USERNAME: "temp", SECRET_HASH: ids.hash("other") })).rejects.toMatchObject(
      mismatch(ids.clientId),
    );
    const done = await respond({ USERNAME: "temp", SECRET_HASH: ids.hash("temp") });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});
