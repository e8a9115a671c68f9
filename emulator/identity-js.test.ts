// Sign-in through the real amazon-cognito-identity-js package (the SRP client Amplify grew out
// of), pointed at the emulator with CognitoUserPool's `endpoint` option and using Node's fetch:
// USER_SRP_AUTH with verifiable tokens, a temporary password, TOTP enrolment and sign-in, MFA
// setup during sign-in, and SMS codes.
import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  type SetUserPoolMfaConfigRequest,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from "amazon-cognito-identity-js";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, inbox, PASSWORD } from "../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";
import { totpCode } from "./crypto/totp.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

const FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] as const;

interface Ids {
  poolId: string;
  clientId: string;
}

async function setup(mfa?: Omit<SetUserPoolMfaConfigRequest, "UserPoolId">): Promise<Ids> {
  const poolId = await createPool(t);
  if (mfa) await t.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...mfa }));
  const { clientId } = await createClient(t, poolId, { ExplicitAuthFlows: [...FLOWS] });
  return { poolId, clientId };
}

function userOf(ids: Ids, username: string): CognitoUser {
  const pool = new CognitoUserPool({ UserPoolId: ids.poolId, ClientId: ids.clientId, endpoint: `${t.url}/` });
  return new CognitoUser({ Username: username, Pool: pool });
}

/** What authenticateUser ended with: a session, or the callback that asked for more. */
type Outcome =
  | { kind: "success"; session: CognitoUserSession }
  | { kind: "newPasswordRequired"; userAttributes: Record<string, string>; requiredAttributes: string[] }
  | {
      kind: "totpRequired" | "mfaRequired" | "mfaSetup" | "selectMFAType";
      challengeName: string;
      parameters: Record<string, string>;
    };

/** The callbacks as a promise; `onFailure` rejects with the library's error. */
function callbacks(resolve: (o: Outcome) => void, reject: (e: unknown) => void) {
  return {
    onSuccess: (session: CognitoUserSession) => resolve({ kind: "success", session }),
    onFailure: (err: unknown) => reject(err),
    newPasswordRequired: (userAttributes: Record<string, string>, requiredAttributes: string[]) =>
      resolve({ kind: "newPasswordRequired", userAttributes, requiredAttributes }),
    totpRequired: (challengeName: string, parameters: Record<string, string>) =>
      resolve({ kind: "totpRequired", challengeName, parameters }),
    mfaRequired: (challengeName: string, parameters: Record<string, string>) =>
      resolve({ kind: "mfaRequired", challengeName, parameters }),
    mfaSetup: (challengeName: string, parameters: Record<string, string>) =>
      resolve({ kind: "mfaSetup", challengeName, parameters }),
    selectMFAType: (challengeName: string, parameters: Record<string, string>) =>
      resolve({ kind: "selectMFAType", challengeName, parameters }),
  };
}

function authenticate(user: CognitoUser, password: string): Promise<Outcome> {
  return new Promise((resolve, reject) =>
    user.authenticateUser(
      new AuthenticationDetails({ Username: user.getUsername(), Password: password }),
      callbacks(resolve, reject),
    ),
  );
}

async function success(p: Promise<Outcome>): Promise<CognitoUserSession> {
  const o = await p;
  if (o.kind !== "success") throw new Error(`expected success, got ${o.kind}`);
  return o.session;
}

function associate(user: CognitoUser): Promise<string> {
  return new Promise((resolve, reject) =>
    user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }),
  );
}

function verify(user: CognitoUser, code: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    user.verifySoftwareToken(code, "test phone", { onSuccess: resolve, onFailure: reject }),
  );
}

const now = () => t.twin.services.clock.now();

/** Verifies both tokens against the pool's JWKS as a resource server would. */
async function verifyTokens(ids: Ids, session: CognitoUserSession) {
  const jwks = createRemoteJWKSet(new URL(`${t.url}/${ids.poolId}/.well-known/jwks.json`));
  const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${ids.poolId}`;
  const access = await jwtVerify(session.getAccessToken().getJwtToken(), jwks, {
    issuer,
    algorithms: ["RS256"],
    currentDate: new Date(now()),
  });
  const id = await jwtVerify(session.getIdToken().getJwtToken(), jwks, {
    issuer,
    audience: ids.clientId,
    algorithms: ["RS256"],
    currentDate: new Date(now()),
  });
  return { access: access.payload, id: id.payload };
}

describe("amazon-cognito-identity-js authenticateUser (USER_SRP_AUTH)", () => {
  let ids: Ids;
  beforeAll(async () => {
    ids = await setup();
    await createUser(t, ids.poolId, "jess");
  });

  it("signs in with the right password, and the tokens verify against the pool's JWKS", async () => {
    const session = await success(authenticate(userOf(ids, "jess"), PASSWORD));
    expect(session.isValid()).toBe(true);
    const { access, id } = await verifyTokens(ids, session);
    expect(access).toMatchObject({ token_use: "access", client_id: ids.clientId, username: "jess" });
    expect(id).toMatchObject({ token_use: "id", "cognito:username": "jess", email: "jess@example.com" });
    expect(session.getRefreshToken().getToken()).toBeTruthy();
  });

  it("fails with NotAuthorizedException for a wrong password", async () => {
    await expect(authenticate(userOf(ids, "jess"), "Not-The-Passw0rd!")).rejects.toMatchObject({
      code: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
  });

  it("fails with UserNotFoundException for an unknown user (LEGACY client)", async () => {
    await expect(authenticate(userOf(ids, "nobody"), PASSWORD)).rejects.toMatchObject({
      code: "UserNotFoundException",
    });
  });

  it("refreshes the session with the refresh token", async () => {
    const user = userOf(ids, "jess");
    const session = await success(authenticate(user, PASSWORD));
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.refreshSession(session.getRefreshToken(), (err: unknown, s: CognitoUserSession) =>
        err ? reject(err) : resolve(s),
      ),
    );
    expect(refreshed.getAccessToken().getJwtToken()).not.toBe(session.getAccessToken().getJwtToken());
    await verifyTokens(ids, refreshed);
  });
});

describe("amazon-cognito-identity-js with a temporary password", () => {
  it("answers newPasswordRequired and completes with completeNewPasswordChallenge", async () => {
    const ids = await setup();
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: ids.poolId,
        Username: "kim",
        TemporaryPassword: "Temp-Passw0rd!",
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "email", Value: "kim@example.com" }],
      }),
    );
    const user = userOf(ids, "kim");
    const asked = await authenticate(user, "Temp-Passw0rd!");
    expect(asked.kind).toBe("newPasswordRequired");
    if (asked.kind !== "newPasswordRequired") return;
    expect(asked.userAttributes).toMatchObject({ email: "kim@example.com" });
    expect(asked.requiredAttributes).toEqual([]);
    const session = await success(
      new Promise((resolve, reject) =>
        user.completeNewPasswordChallenge("Kims-New-Passw0rd!", {}, callbacks(resolve, reject)),
      ),
    );
    expect((await verifyTokens(ids, session)).access.username).toBe("kim");
    await success(authenticate(userOf(ids, "kim"), "Kims-New-Passw0rd!"));
    await expect(authenticate(userOf(ids, "kim"), "Temp-Passw0rd!")).rejects.toMatchObject({
      code: "NotAuthorizedException",
    });
  });
});

describe("amazon-cognito-identity-js with TOTP", () => {
  it("associates and verifies a token, sets the preference, then signs in with totpRequired and sendMFACode", async () => {
    const ids = await setup({ MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } });
    await createUser(t, ids.poolId, "tom");
    const user = userOf(ids, "tom");
    await success(authenticate(user, PASSWORD));
    const secret = await associate(user);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await verify(user, totpCode(secret, now()));
    await new Promise((resolve, reject) =>
      user.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, (err, result) =>
        err ? reject(err) : resolve(result),
      ),
    );

    // The verification spent this time step; the sign-in uses the next one.
    t.twin.services.clock.advance(30);
    const again = userOf(ids, "tom");
    const asked = await authenticate(again, PASSWORD);
    expect(asked).toMatchObject({ kind: "totpRequired", challengeName: "SOFTWARE_TOKEN_MFA" });
    await expect(
      new Promise((resolve, reject) => again.sendMFACode("000000", callbacks(resolve, reject), "SOFTWARE_TOKEN_MFA")),
    ).rejects.toMatchObject({ code: "CodeMismatchException" });
    const session = await success(
      new Promise((resolve, reject) =>
        again.sendMFACode(totpCode(secret, now()), callbacks(resolve, reject), "SOFTWARE_TOKEN_MFA"),
      ),
    );
    expect((await verifyTokens(ids, session)).access.username).toBe("tom");
  });

  it("sets up TOTP during sign-in when MFA is required (mfaSetup, associate and verify by Session)", async () => {
    const ids = await setup({ MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } });
    await createUser(t, ids.poolId, "uma");
    const user = userOf(ids, "uma");
    const asked = await authenticate(user, PASSWORD);
    expect(asked).toMatchObject({ kind: "mfaSetup", challengeName: "MFA_SETUP" });
    const secret = await associate(user);
    const session = (await verify(user, totpCode(secret, now()))) as CognitoUserSession;
    expect((await verifyTokens(ids, session)).access.username).toBe("uma");

    t.twin.services.clock.advance(30);
    const again = userOf(ids, "uma");
    expect((await authenticate(again, PASSWORD)).kind).toBe("totpRequired");
    await success(
      new Promise((resolve, reject) =>
        again.sendMFACode(totpCode(secret, now()), callbacks(resolve, reject), "SOFTWARE_TOKEN_MFA"),
      ),
    );
  });
});

describe("amazon-cognito-identity-js with SMS MFA", () => {
  it("answers mfaRequired and signs in with the code from the inbox", async () => {
    const ids = await setup({
      MfaConfiguration: "OPTIONAL",
      SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::000000000000:role/sns" } },
    });
    await createUser(t, ids.poolId, "sid", {
      attributes: { phone_number: "+15555550177", phone_number_verified: "true" },
    });
    await t.cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: ids.poolId,
        Username: "sid",
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const user = userOf(ids, "sid");
    const asked = await authenticate(user, PASSWORD);
    expect(asked).toMatchObject({
      kind: "mfaRequired",
      challengeName: "SMS_MFA",
      parameters: { CODE_DELIVERY_DESTINATION: "+*******0177" },
    });
    const code = (await inbox(t, ids.poolId, "sid")).filter((m) => m.reason === "Authentication").at(-1)!.code!;
    const session = await success(new Promise((resolve, reject) => user.sendMFACode(code, callbacks(resolve, reject))));
    expect((await verifyTokens(ids, session)).access.username).toBe("sid");
  });
});
