// The identity pools' classic flow to its end: GetId, GetOpenIdToken, then STS's
// AssumeRoleWithWebIdentity on the emulator's port, through the AWS SDK's own STS client
// (fromWebToken of @aws-sdk/credential-providers, as an app using the basic flow calls it), and
// STS's refusals as its query protocol answers them (XML, a Code), never a 5xx.
import {
  type CognitoIdentityClient,
  GetIdCommand,
  GetOpenIdTokenCommand,
  SetIdentityPoolRolesCommand,
} from "@aws-sdk/client-cognito-identity";
import { fromWebToken } from "@aws-sdk/credential-providers";
import { signIn } from "../../test-support/auth-fixtures.js";
import { describe, expect } from "../../test-support/fixtures.js";
import {
  createIdentityPool,
  credentialsOwner,
  identityClient,
  identityTest,
  providerOf,
  ROLES,
} from "../../test-support/identity-fixtures.js";
import { refusal } from "../../test-support/refusal.js";
import { startTwin } from "../../test-support/twin.js";

const it = identityTest;

/** GetId then GetOpenIdToken with the same logins (none: a guest): the classic flow's first two steps. */
async function openIdToken(
  ci: CognitoIdentityClient,
  identityPoolId: string,
  Logins?: Record<string, string>,
): Promise<{ identityId: string; token: string }> {
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins }));
  const { Token } = await ci.send(new GetOpenIdTokenCommand({ IdentityId, Logins }));
  return { identityId: IdentityId!, token: Token! };
}

/** AssumeRoleWithWebIdentity through the SDK's STS client, pointed at the emulator. */
function assume(url: string, roleArn: string, webIdentityToken: string, more: { durationSeconds?: number } = {}) {
  return fromWebToken({
    roleArn,
    webIdentityToken,
    roleSessionName: "web-app",
    ...more,
    clientConfig: { endpoint: url, region: "us-east-1", maxAttempts: 1 },
  })();
}

/** An STS query request as a form POST, for what the SDK would not send. */
async function post(url: string, params: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: await res.text() };
}

describe("the classic flow's AssumeRoleWithWebIdentity", () => {
  it("gives a signed-in identity credentials for the pool's authenticated role, and a guest for its guest role", async ({
    t,
    ci,
    clock,
    poolId,
    clientId,
    username,
  }) => {
    const id = await createIdentityPool(ci, { poolId, clientId });
    const { IdToken } = await signIn(t, clientId, username);
    const Logins = { [providerOf(poolId)]: IdToken };
    const { identityId: IdentityId, token } = await openIdToken(ci, id, Logins);

    const creds = await assume(t.url, ROLES.authenticated, token, { durationSeconds: 900 });
    expect(creds.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(creds.secretAccessKey).toHaveLength(40);
    expect(creds.sessionToken!.length).toBeGreaterThan(100);
    expect(creds.expiration!.getTime()).toBe(clock.now() + 900_000);
    expect(await credentialsOwner(t.url, creds.accessKeyId)).toMatchObject({
      identityId: IdentityId,
      identityPoolId: id,
      roleArn: ROLES.authenticated,
      authenticated: true,
      logins: [providerOf(poolId)],
    });

    const guest = await openIdToken(ci, id);
    const guestCreds = await assume(t.url, ROLES.unauthenticated, guest.token);
    expect(guestCreds.expiration!.getTime()).toBe(clock.now() + 3_600_000);
    expect(await credentialsOwner(t.url, guestCreds.accessKeyId)).toMatchObject({
      identityId: guest.identityId,
      roleArn: ROLES.unauthenticated,
      authenticated: false,
    });
  });

  it("answers STS's XML: the assumed role, the subject, the audience and the provider", async ({ t, ci }) => {
    const id = await createIdentityPool(ci);
    const { identityId, token } = await openIdToken(ci, id);
    const res = await post(t.url, {
      Action: "AssumeRoleWithWebIdentity",
      Version: "2011-06-15",
      RoleArn: ROLES.unauthenticated,
      RoleSessionName: "guest@app",
      WebIdentityToken: token,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(
      /^<AssumeRoleWithWebIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/,
    );
    expect(res.body).toContain(`<SubjectFromWebIdentityToken>${identityId}</SubjectFromWebIdentityToken>`);
    expect(res.body).toContain(`<Audience>${id}</Audience>`);
    expect(res.body).toContain("<Provider>cognito-identity.amazonaws.com</Provider>");
    expect(res.body).toContain("<Arn>arn:aws:sts::123456789012:assumed-role/twin-guest/guest@app</Arn>");
    expect(res.body).toMatch(/<AssumedRoleId>AROA[A-Z2-7]{17}:guest@app<\/AssumedRoleId>/);
    expect(res.body).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  });

  it("refuses a role the pool does not name for the identity, an expired, forged or foreign token", async ({
    t,
    ci,
    clock,
    poolId,
    clientId,
    username,
  }) => {
    const id = await createIdentityPool(ci, { poolId, clientId });
    const { token: Token } = await openIdToken(ci, id);
    const denied = {
      name: "AccessDenied",
      message: "Not authorized to perform sts:AssumeRoleWithWebIdentity",
      status: 403,
    };
    // A guest may not take the signed-in role, nor a role the pool does not name at all.
    expect(await refusal(assume(t.url, ROLES.authenticated, Token))).toEqual(denied);
    expect(await refusal(assume(t.url, ROLES.admin, Token))).toEqual(denied);

    // A signed-in identity may take a role its pool's rule mappings name.
    await ci.send(
      new SetIdentityPoolRolesCommand({
        IdentityPoolId: id,
        Roles: { authenticated: ROLES.authenticated, unauthenticated: ROLES.unauthenticated },
        RoleMappings: {
          [`${providerOf(poolId)}:${clientId}`]: {
            Type: "Rules",
            AmbiguousRoleResolution: "AuthenticatedRole",
            RulesConfiguration: {
              Rules: [{ Claim: "cognito:groups", MatchType: "Contains", Value: "admins", RoleARN: ROLES.admin }],
            },
          },
        },
      }),
    );
    const { IdToken } = await signIn(t, clientId, username);
    const Logins = { [providerOf(poolId)]: IdToken };
    const signedIn = (await openIdToken(ci, id, Logins)).token;
    expect((await assume(t.url, ROLES.admin, signedIn)).accessKeyId).toMatch(/^ASIA/);

    // A token whose signature is not the pool's key's, one from elsewhere, and one that is no JWT.
    const [h, p] = signedIn.split(".");
    const forged = `${h}.${p}.${"A".repeat(342)}`;
    expect(await refusal(assume(t.url, ROLES.authenticated, forged))).toEqual({
      name: "InvalidIdentityTokenException",
      message: "Couldn't verify the signature of the web identity token",
      status: 400,
    });
    const foreignPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), iss: "https://accounts.google.com" }),
    ).toString("base64url");
    expect(await refusal(assume(t.url, ROLES.authenticated, `${h}.${foreignPayload}.${"A".repeat(342)}`))).toEqual({
      name: "InvalidIdentityTokenException",
      message: "No OpenIDConnect provider found in your account for https://accounts.google.com",
      status: 400,
    });
    expect(await refusal(assume(t.url, ROLES.authenticated, "not-a-jwt"))).toEqual({
      name: "InvalidIdentityTokenException",
      message: "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)",
      status: 400,
    });

    // GetOpenIdToken's tokens last ten minutes, on the emulator's clock.
    clock.advance(600);
    const now = Math.floor(clock.now() / 1000);
    expect(await refusal(assume(t.url, ROLES.authenticated, signedIn))).toEqual({
      name: "ExpiredTokenException",
      message: `Token expired: current date/time ${now} must be before the expiration date/time ${now}`,
      status: 400,
    });
  });

  it("checks the parameters as STS does, and refuses what it does not do", async ({ t, ci }) => {
    const id = await createIdentityPool(ci);
    const { token: Token } = await openIdToken(ci, id);
    const base = {
      Action: "AssumeRoleWithWebIdentity",
      Version: "2011-06-15",
      RoleArn: ROLES.unauthenticated,
      RoleSessionName: "s1",
      WebIdentityToken: Token,
    };
    const code = (body: string) => /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
    const message = (body: string) => /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
    const { RoleSessionName: _s, ...noSession } = base;
    for (const [params, expected] of [
      [
        noSession,
        "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
      ],
      [
        { ...base, RoleSessionName: "x" },
        "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64",
      ],
      [
        { ...base, RoleSessionName: "has space" },
        "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ],
      [
        { ...base, DurationSeconds: "899" },
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200",
      ],
      [
        { ...base, DurationSeconds: "1e4" },
        "1 validation error detected: Value '1e4' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200",
      ],
      [{ ...base, RoleArn: "arn:aws:s3:::a-bucket-not-a-role" }, "arn:aws:s3:::a-bucket-not-a-role is invalid"],
    ] as const) {
      const res = await post(t.url, params);
      expect(res.status).toBe(400);
      expect(code(res.body)).toBe("ValidationError");
      expect(message(res.body)).toBe(expected.replace(/'/g, "&apos;"));
    }
    // Session policies would be taken and never applied: refused, saying why.
    const policy = await post(t.url, { ...base, Policy: '{"Version":"2012-10-17","Statement":[]}' });
    expect([policy.status, code(policy.body)]).toEqual([400, "ValidationError"]);
    expect(message(policy.body)).toContain("applies no session policies");
    const other = await post(t.url, { Action: "GetCallerIdentity", Version: "2011-06-15" });
    expect([other.status, code(other.body), message(other.body)]).toEqual([
      400,
      "InvalidAction",
      "Could not find operation GetCallerIdentity for version 2011-06-15",
    ]);
    // A form that is not STS's at all still gets STS's answer, not a 5xx; JSON calls pass on.
    const garbage = await post(t.url, { "%%%": "\u0000" });
    expect([garbage.status, code(garbage.body)]).toEqual([400, "InvalidAction"]);
  });

  it("takes a local-issuer token at another host name of the emulator, and signs the assumed role in the role's partition", async () => {
    const local = await startTwin({ issuer: "local" });
    const ci = identityClient(local.url);
    try {
      const id = await createIdentityPool(ci, undefined, {});
      await ci.send(
        new SetIdentityPoolRolesCommand({
          IdentityPoolId: id,
          Roles: { unauthenticated: "arn:aws-us-gov:iam::123456789012:role/gov-guest" },
        }),
      );
      const { token: Token } = await openIdToken(ci, id);
      // GetOpenIdToken was called at 127.0.0.1: the token's issuer names that host.
      expect(JSON.parse(Buffer.from(Token.split(".")[1]!, "base64url").toString()).iss).toBe(`${local.url}/_identity`);
      const atLocalhost = local.url.replace("127.0.0.1", "localhost");
      const res = await post(atLocalhost, {
        Action: "AssumeRoleWithWebIdentity",
        Version: "2011-06-15",
        RoleArn: "arn:aws-us-gov:iam::123456789012:role/gov-guest",
        RoleSessionName: "s1",
        WebIdentityToken: Token,
      });
      expect(res.status).toBe(200);
      expect(res.body).toContain("<Arn>arn:aws-us-gov:sts::123456789012:assumed-role/gov-guest/s1</Arn>");
    } finally {
      ci.destroy();
      await local.close();
    }
  });

  it("answers a body over the limit, and a token's length error, in STS's XML without repeating the token", async ({
    t,
  }) => {
    const big = await post(t.url, {
      Action: "AssumeRoleWithWebIdentity",
      Version: "2011-06-15",
      WebIdentityToken: "x".repeat(2 * 1024 * 1024),
    });
    expect(big.status).toBe(400);
    expect(big.body).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>ValidationError<\/Code><Message>Request body exceeds the limit of \d+ bytes.<\/Message>/,
    );
    const long = await post(t.url, {
      Action: "AssumeRoleWithWebIdentity",
      Version: "2011-06-15",
      RoleArn: ROLES.unauthenticated,
      RoleSessionName: "s1",
      WebIdentityToken: `secret-${"y".repeat(20_000)}`,
    });
    expect(long.status).toBe(400);
    expect(long.body).toContain(
      "<Message>1 validation error detected: Value at &apos;webIdentityToken&apos; failed to satisfy constraint: Member must have length between 4 and 20000</Message>",
    );
    expect(long.body).not.toContain("secret-");
  });
});
