// Concurrency guarantees, through the real SDK v3 over real sockets: requests about one user are
// serialised (no lost update, no double success, no resurrected record), however many arrive at
// once and whichever operations they are. After each storm the store's records and indexes
// agree (test-support/store-invariants.ts).

import { Agent } from "node:http";
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  DeleteUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimsOf,
  createClient,
  createPool,
  createUser,
  inbox,
  PASSWORD,
  signIn,
} from "../test-support/auth-fixtures.js";
import { assertStoreInvariants } from "../test-support/store-invariants.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";

let t: TestTwin;
/** An SDK client with enough sockets that a storm really arrives at once. */
let sdk: CognitoIdentityProviderClient;

beforeAll(async () => {
  t = await startTwin();
  sdk = new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: t.url,
    credentials: { accessKeyId: "AKIDTWINTEST", secretAccessKey: "twin-test-secret" },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 128 }) }),
  });
});
afterAll(async () => {
  sdk.destroy();
  await t.close();
});

/** Settles every promise; answers the successes and the error names. */
async function outcomes<T>(promises: Promise<T>[]): Promise<{ ok: T[]; errors: string[]; messages: string[] }> {
  const settled = await Promise.allSettled(promises);
  const ok: T[] = [];
  const errors: string[] = [];
  const messages: string[] = [];
  for (const s of settled) {
    if (s.status === "fulfilled") ok.push(s.value);
    else {
      errors.push((s.reason as Error).name);
      messages.push((s.reason as Error).message);
    }
  }
  return { ok, errors, messages };
}

const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const count = (xs: string[], x: string) => xs.filter((y) => y === x).length;

describe("100 concurrent SignUps of one name", () => {
  it("give one success and 99 UsernameExistsException in a username pool", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    const r = await outcomes(
      times(100, () =>
        sdk.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: "storm",
            Password: PASSWORD,
            UserAttributes: [{ Name: "email", Value: "storm@example.com" }],
          }),
        ),
      ),
    );
    expect(r.ok).toHaveLength(1);
    expect(r.errors).toEqual(times(99, () => "UsernameExistsException"));
    expect(new Set(r.messages)).toEqual(new Set(["User already exists"]));
    expect((await sdk.send(new ListUsersCommand({ UserPoolId: poolId }))).Users).toHaveLength(1);
    assertStoreInvariants(t.twin.services.store);
  });

  it("give one success in an email-as-username pool, whatever the case of the address", async () => {
    const poolId = await createPool(t, { UsernameAttributes: ["email"] });
    const { clientId } = await createClient(t, poolId);
    const spellings = ["ann@example.com", "Ann@Example.com", "ANN@EXAMPLE.COM", "ann@EXAMPLE.com"];
    const r = await outcomes(
      times(100, (i) =>
        sdk.send(
          new SignUpCommand({ ClientId: clientId, Username: spellings[i % spellings.length], Password: PASSWORD }),
        ),
      ),
    );
    expect(r.ok).toHaveLength(1);
    expect(r.errors).toEqual(times(99, () => "UsernameExistsException"));
    expect(new Set(r.messages)).toEqual(new Set(["An account with the given email already exists."]));
    const users = (await sdk.send(new ListUsersCommand({ UserPoolId: poolId }))).Users!;
    expect(users).toHaveLength(1);
    expect(users[0]!.Username).toBe(r.ok[0]!.UserSub);
    assertStoreInvariants(t.twin.services.store);
  });

  it("give one success with case variants of the name in a case-insensitive pool", async () => {
    const poolId = await createPool(t, { UsernameConfiguration: { CaseSensitive: false } });
    const { clientId } = await createClient(t, poolId);
    const variants = ["Carla", "carla", "CARLA", "cArLa", "carlA"];
    const r = await outcomes(
      times(100, (i) =>
        sdk.send(
          new SignUpCommand({ ClientId: clientId, Username: variants[i % variants.length], Password: PASSWORD }),
        ),
      ),
    );
    expect(r.ok).toHaveLength(1);
    expect(r.errors).toEqual(times(99, () => "UsernameExistsException"));
    expect((await sdk.send(new ListUsersCommand({ UserPoolId: poolId }))).Users).toHaveLength(1);
    assertStoreInvariants(t.twin.services.store);
  });

  it("give one user per spelling in a case-sensitive pool", async () => {
    const poolId = await createPool(t, { UsernameConfiguration: { CaseSensitive: true } });
    const { clientId } = await createClient(t, poolId);
    const variants = ["Dana", "dana", "DANA", "daNa"];
    const r = await outcomes(
      times(100, (i) =>
        sdk.send(
          new SignUpCommand({ ClientId: clientId, Username: variants[i % variants.length], Password: PASSWORD }),
        ),
      ),
    );
    expect(r.ok).toHaveLength(4);
    expect(count(r.errors, "UsernameExistsException")).toBe(96);
    assertStoreInvariants(t.twin.services.store);
  });

  it("and AdminCreateUser racing for the same name: exactly one of them creates it", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    const r = await outcomes([
      ...times(50, () => sdk.send(new SignUpCommand({ ClientId: clientId, Username: "race", Password: PASSWORD }))),
      ...times(50, () =>
        sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: "RACE", MessageAction: "SUPPRESS" })),
      ),
    ]);
    expect(r.ok).toHaveLength(1);
    expect(r.errors).toEqual(times(99, () => "UsernameExistsException"));
    assertStoreInvariants(t.twin.services.store);
  });
});

describe("1,000 concurrent refreshes of one token", () => {
  it("REFRESH_TOKEN_AUTH: every one answers verifiable tokens of the same session, and the store stays consistent", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await createUser(t, poolId, "rita");
    const tokens = await signIn(t, clientId, "rita");
    const origin = claimsOf(tokens.AccessToken).origin_jti;
    const r = await outcomes(
      times(1000, () =>
        sdk.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "REFRESH_TOKEN_AUTH",
            AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
          }),
        ),
      ),
    );
    expect(r.errors).toEqual([]);
    const verifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "access", clientId });
    verifier.cacheJwks((await (await fetch(`${t.url}/${poolId}/.well-known/jwks.json`)).json()) as never);
    const jtis = new Set<unknown>();
    for (const out of r.ok) {
      const claims = await verifier.verify(out.AuthenticationResult!.AccessToken!);
      expect(claims.origin_jti).toBe(origin);
      jtis.add(claims.jti);
    }
    expect(jtis.size).toBe(1000);
    // One session, still live: the last access token works and the refresh token refreshes.
    const store = t.twin.services.store;
    const sub = claimsOf(tokens.AccessToken).sub as string;
    expect(store.sessionsOf(poolId, sub)).toHaveLength(1);
    await expect(
      sdk.send(new GetUserCommand({ AccessToken: r.ok[999]!.AuthenticationResult!.AccessToken! })),
    ).resolves.toMatchObject({ Username: "rita" });
    await expect(
      sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
        }),
      ),
    ).resolves.toHaveProperty("AuthenticationResult.IdToken");
    assertStoreInvariants(store);
  }, 120_000);

  it("GetTokensFromRefreshToken with rotation and a grace period: each answer is a distinct working token of one session", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 60 },
    });
    await createUser(t, poolId, "rory");
    const tokens = await signIn(t, clientId, "rory");
    const r = await outcomes(
      times(1000, () =>
        sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken })),
      ),
    );
    expect(r.errors).toEqual([]);
    const issued = r.ok.map((o) => o.AuthenticationResult!.RefreshToken!);
    expect(new Set(issued).size).toBe(1000);
    const store = t.twin.services.store;
    const sessions = store.sessionsOf(poolId, claimsOf(tokens.AccessToken).sub as string);
    expect(sessions).toHaveLength(1);
    const session = sessions[0]!;
    // Serialised: the rotations form one chain, so every token but the current one is retired.
    expect(issued).toContain(session.refreshToken);
    expect(new Set(session.retired!.map((x) => x.token))).toEqual(
      new Set([tokens.RefreshToken, ...issued.filter((x) => x !== session.refreshToken)]),
    );
    for (const token of [issued[0]!, issued[999]!, session.refreshToken]) {
      await expect(
        sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: token })),
      ).resolves.toHaveProperty("AuthenticationResult.RefreshToken");
    }
    assertStoreInvariants(store);
  }, 120_000);

  it("GetTokensFromRefreshToken with rotation and no grace period: the token is spent exactly once", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 },
    });
    await createUser(t, poolId, "remy");
    const tokens = await signIn(t, clientId, "remy");
    const r = await outcomes(
      times(1000, () =>
        sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken })),
      ),
    );
    expect(r.ok).toHaveLength(1);
    expect(r.errors).toEqual(times(999, () => "NotAuthorizedException"));
    expect(new Set(r.messages)).toEqual(new Set(["Invalid Refresh Token."]));
    const next = r.ok[0]!.AuthenticationResult!.RefreshToken!;
    await expect(
      sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: next })),
    ).resolves.toHaveProperty("AuthenticationResult.AccessToken");
    assertStoreInvariants(t.twin.services.store);
  }, 120_000);
});

describe("concurrent writes to one user", () => {
  it("ConfirmSignUp with the right code 50 times: one confirmation, the rest told the user is confirmed", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await sdk.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "cleo",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "cleo@example.com" }],
      }),
    );
    const code = (await inbox(t, poolId, "cleo"))[0]!.code!;
    const r = await outcomes(
      times(50, () =>
        sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "cleo", ConfirmationCode: code })),
      ),
    );
    expect(r.ok).toHaveLength(1);
    expect(new Set(r.messages)).toEqual(new Set(["User cannot be confirmed. Current status is CONFIRMED"]));
    const user = await sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "cleo" }));
    expect(user.UserStatus).toBe("CONFIRMED");
    expect(user.UserAttributes).toContainEqual({ Name: "email_verified", Value: "true" });
    assertStoreInvariants(t.twin.services.store);
  });

  it("ConfirmSignUp with 20 wrong codes at once counts every attempt (5, then the limit)", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await sdk.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "wes",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "wes@example.com" }],
      }),
    );
    const r = await outcomes(
      times(20, () =>
        sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "wes", ConfirmationCode: "000000x" })),
      ),
    );
    expect(count(r.errors, "CodeMismatchException")).toBe(5);
    expect(count(r.errors, "LimitExceededException")).toBe(15);
  });

  it("20 wrong passwords at once lock the user after exactly five", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await createUser(t, poolId, "lou");
    const r = await outcomes(
      times(20, () =>
        sdk.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: "lou", PASSWORD: "Wrong-Passw0rd!" },
          }),
        ),
      ),
    );
    expect(count(r.messages, "Incorrect username or password.")).toBe(4);
    expect(count(r.messages, "Password attempts exceeded")).toBe(16);
  });

  it("AdminAddUserToGroup, UpdateUserAttributes, ChangePassword and AdminSetUserPassword at once: no update is lost", async () => {
    const poolId = await createPool(t, { Schema: [{ Name: "n", AttributeDataType: "String", Mutable: true }] });
    const { clientId } = await createClient(t, poolId);
    await createUser(t, poolId, "gus");
    const tokens = await signIn(t, clientId, "gus");
    const groups = times(20, (i) => `g${i}`);
    for (const GroupName of groups) await sdk.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName }));
    const r = await outcomes<unknown>([
      ...groups.map((GroupName) =>
        sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: "gus", GroupName })),
      ),
      ...times(10, (i) =>
        sdk.send(
          new UpdateUserAttributesCommand({
            AccessToken: tokens.AccessToken,
            UserAttributes: [{ Name: i % 2 ? "name" : "custom:n", Value: `v${i}` }],
          }),
        ),
      ),
      ...times(5, () =>
        sdk.send(
          new ChangePasswordCommand({
            AccessToken: tokens.AccessToken,
            PreviousPassword: PASSWORD,
            ProposedPassword: PASSWORD,
          }),
        ),
      ),
      ...times(5, () =>
        sdk.send(
          new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: "gus", Password: PASSWORD, Permanent: true }),
        ),
      ),
    ]);
    expect(r.errors).toEqual([]);
    const inGroups = (await sdk.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: "gus" })))
      .Groups!.map((g) => g.GroupName)
      .sort();
    expect(inGroups).toEqual([...groups].sort());
    const attrs = (await sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "gus" }))).UserAttributes!;
    expect(attrs.map((a) => a.Name)).toEqual(expect.arrayContaining(["name", "custom:n"]));
    await expect(signIn(t, clientId, "gus")).resolves.toHaveProperty("AccessToken");
    assertStoreInvariants(t.twin.services.store);
  });

  it("a user deleted while other requests about them are in flight stays deleted", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    for (let round = 0; round < 10; round++) {
      const name = `del${round}`;
      await createUser(t, poolId, name);
      const tokens = await signIn(t, clientId, name);
      const r = await outcomes<unknown>([
        sdk.send(
          new ChangePasswordCommand({
            AccessToken: tokens.AccessToken,
            PreviousPassword: PASSWORD,
            ProposedPassword: PASSWORD,
          }),
        ),
        sdk.send(
          new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: name, Password: PASSWORD, Permanent: true }),
        ),
        sdk.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: name, PASSWORD },
          }),
        ),
        sdk.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: name, PASSWORD: "Wrong-Passw0rd!" },
          }),
        ),
        sdk.send(
          new UpdateUserAttributesCommand({
            AccessToken: tokens.AccessToken,
            UserAttributes: [{ Name: "name", Value: "x" }],
          }),
        ),
        sdk.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: name })),
      ]);
      expect(r.errors.filter((e) => !["UserNotFoundException", "NotAuthorizedException"].includes(e))).toEqual([]);
      expect(t.twin.services.store.getUser(poolId, name)).toBeUndefined();
      assertStoreInvariants(t.twin.services.store);
    }
  });

  it("a pool deleted during a storm of sign-ups and sign-ins answers Cognito errors, never a fault", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await createUser(t, poolId, "pia");
    const r = await outcomes<unknown>([
      ...times(30, (i) =>
        sdk.send(new SignUpCommand({ ClientId: clientId, Username: `pool-storm-${i}`, Password: PASSWORD })),
      ),
      ...times(10, (i) =>
        sdk.send(
          new AdminCreateUserCommand({ UserPoolId: poolId, Username: `pool-admin-${i}`, MessageAction: "SUPPRESS" }),
        ),
      ),
      ...times(10, () =>
        sdk.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: "pia", PASSWORD },
          }),
        ),
      ),
      sdk.send(new DeleteUserPoolCommand({ UserPoolId: poolId })),
      ...times(5, (i) => sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: `pool-storm-${i}` }))),
    ]);
    expect(
      r.errors.filter(
        (e) => !["ResourceNotFoundException", "UserNotFoundException", "NotAuthorizedException"].includes(e),
      ),
    ).toEqual([]);
    expect(t.twin.services.store.getPool(poolId)).toBeUndefined();
    assertStoreInvariants(t.twin.services.store);
  });
});
