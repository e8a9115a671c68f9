// Tokens as a client and a resource server see them: the claims, what the API refuses, what
// standard verifiers (aws-jwt-verify) accept, and the OIDC documents in both issuer modes.
import { GetUserCommand, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoJwtVerifier, JwtVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { generateKeyPair, SignJWT } from "jose";
import { claimsOf, createClient, createPool, createUser, headerOf, signIn } from "../../test-support/auth-fixtures.js";
import { authTest, describe, expect } from "../../test-support/fixtures.js";
import { call, startTwin } from "../../test-support/twin.js";
import { createApp } from "../app.js";
import { cloneUser } from "../domain/users/records.js";

// The file's pool (with a name attribute), client and user "alice", named Alice
// (test-support/fixtures.ts), and GetUser.
const it = authTest
  .extend("poolInput", { scope: "file" }, { Schema: [{ Name: "name", AttributeDataType: "String", Mutable: true }] })
  .extend("username", { scope: "file" }, async ({ t, poolId }) => {
    await createUser(t, poolId, "alice", {
      attributes: { email: "alice@example.com", email_verified: "true", name: "Alice" },
    });
    return "alice";
  })
  .extend(
    "getUser",
    { scope: "file" },
    ({ t }) =>
      (token: string) =>
        t.cognito.send(new GetUserCommand({ AccessToken: token })),
  );

function resign(token: string, edit: (claims: Record<string, unknown>) => Record<string, unknown>): string {
  const [h, p, s] = token.split(".");
  const claims = edit(JSON.parse(Buffer.from(p!, "base64url").toString("utf8")) as Record<string, unknown>);
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
}

describe("token claims", () => {
  it("puts Cognito's claims, in Cognito's order, into the access and id tokens", async ({
    t,
    poolId,
    clientId,
    username,
  }) => {
    const tokens = await signIn(t, clientId, username);
    const access = claimsOf(tokens.AccessToken);
    expect(Object.keys(access)).toEqual([
      "sub",
      "iss",
      "client_id",
      "origin_jti",
      "event_id",
      "token_use",
      "scope",
      "auth_time",
      "exp",
      "iat",
      "jti",
      "username",
    ]);
    expect(access).toMatchObject({
      iss: `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`,
      client_id: clientId,
      token_use: "access",
      scope: "aws.cognito.signin.user.admin",
      username: username,
    });
    expect(Number(access.exp) - Number(access.iat)).toBe(3600);
    const id = claimsOf(tokens.IdToken);
    expect(id).toMatchObject({
      aud: clientId,
      token_use: "id",
      "cognito:username": username,
      email: "alice@example.com",
      email_verified: true,
      name: "Alice",
    });
    expect(id.origin_jti).toBe(access.origin_jti);
    expect(id.event_id).toBe(access.event_id);
    expect(headerOf(tokens.AccessToken)).toMatchObject({ alg: "RS256" });
    expect(headerOf(tokens.AccessToken).kid).not.toBe(headerOf(tokens.IdToken).kid);
  });

  it("lists cognito:groups by precedence (lowest first, groups without one last)", async ({ t, poolId, clientId }) => {
    const { store } = t.twin.services;
    const group = (GroupName: string, Precedence?: number) =>
      store.putGroup({
        poolId,
        group: {
          GroupName,
          UserPoolId: poolId,
          ...(Precedence !== undefined ? { Precedence } : {}),
          CreationDate: 0,
          LastModifiedDate: 0,
        },
      });
    group("zeta", 1);
    group("alpha", 10);
    group("nobody");
    group("mid", 5);
    await createUser(t, poolId, "grouped");
    const user = store.getUser(poolId, "grouped")!;
    store.putUser({ ...cloneUser(user), groups: ["nobody", "alpha", "mid", "zeta"] });
    const tokens = await signIn(t, clientId, "grouped");
    expect(claimsOf(tokens.AccessToken)["cognito:groups"]).toEqual(["zeta", "mid", "alpha", "nobody"]);
    expect(claimsOf(tokens.IdToken)["cognito:groups"]).toEqual(["zeta", "mid", "alpha", "nobody"]);
  });

  it("puts the identities attribute in the id token as a list, its values strings, after aud", async ({
    t,
    poolId,
    clientId,
  }) => {
    const { store } = t.twin.services;
    await createUser(t, poolId, "linked");
    const user = store.getUser(poolId, "linked")!;
    const attribute = `[{"userId":"104223344556677889900","providerName":"Google","providerType":"Google","issuer":null,"primary":false,"dateCreated":1772355600000}]`;
    store.putUser({ ...cloneUser(user), attributes: [...user.attributes, { Name: "identities", Value: attribute }] });
    const tokens = await signIn(t, clientId, "linked");
    const id = claimsOf(tokens.IdToken);
    // As in Cognito's id tokens: JSON, not the attribute's string, with "primary" and
    // "dateCreated" as strings and issuer null.
    expect(id.identities).toEqual([
      {
        userId: "104223344556677889900",
        providerName: "Google",
        providerType: "Google",
        issuer: null,
        primary: "false",
        dateCreated: "1772355600000",
      },
    ]);
    const keys = Object.keys(id);
    expect(keys[keys.indexOf("aud") + 1]).toBe("identities");
    expect(claimsOf(tokens.AccessToken).identities).toBeUndefined();
    // The attribute itself stays Cognito's JSON string.
    const got = await t.cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    expect(got.UserAttributes!.find((a) => a.Name === "identities")?.Value).toBe(attribute);
  });

  it("keeps auth_time and origin_jti across refreshes while iat moves on", async ({ t, clock, clientId, username }) => {
    const tokens = await signIn(t, clientId, username);
    const first = claimsOf(tokens.AccessToken);
    clock.advance(600);
    const refreshed = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
      }),
    );
    const access = claimsOf(refreshed.AuthenticationResult!.AccessToken!);
    const id = claimsOf(refreshed.AuthenticationResult!.IdToken!);
    expect(access.auth_time).toBe(first.auth_time);
    expect(id.auth_time).toBe(first.auth_time);
    expect(access.origin_jti).toBe(first.origin_jti);
    expect(Number(access.iat)).toBe(Number(first.iat) + 600);
    expect(access.jti).not.toBe(first.jti);
  });
});

describe("access tokens the API refuses", () => {
  it("refuses a token signed by another key under the pool's kid", async ({ t, clientId, username, getUser }) => {
    const { AccessToken } = await signIn(t, clientId, username);
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT(claimsOf(AccessToken))
      .setProtectedHeader({ alg: "RS256", kid: headerOf(AccessToken).kid as string })
      .sign(privateKey);
    await expect(getUser(forged)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });
  });

  it("refuses a tampered payload", async ({ t, clientId, username, getUser }) => {
    const { AccessToken } = await signIn(t, clientId, username);
    await expect(getUser(resign(AccessToken, (c) => ({ ...c, exp: Number(c.exp) + 86400 })))).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });
  });

  it("refuses alg none", async ({ t, clientId, username, getUser }) => {
    const { AccessToken } = await signIn(t, clientId, username);
    const header = Buffer.from(JSON.stringify({ alg: "none", kid: headerOf(AccessToken).kid })).toString("base64url");
    const unsigned = `${header}.${AccessToken.split(".")[1]}.`;
    await expect(getUser(unsigned)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });
  });

  it("refuses an id token used as an access token", async ({ t, clientId, username, getUser }) => {
    const { IdToken } = await signIn(t, clientId, username);
    await expect(getUser(IdToken)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });
  });

  it("refuses a token signed with the pool's own key but without the user-admin scope", async ({
    t,
    poolId,
    clientId,
    username,
    getUser,
  }) => {
    const { AccessToken } = await signIn(t, clientId, username);
    const keys = await t.twin.services.keys.keysFor(poolId);
    const scoped = await new SignJWT({ ...claimsOf(AccessToken), scope: "openid email" })
      .setProtectedHeader({ alg: "RS256", kid: keys.access.kid })
      .sign(keys.access.privateKey);
    await expect(getUser(scoped)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Access Token does not have required scopes",
    });
    // The same claims with the scope pass, so the scope is what was refused.
    const good = await new SignJWT(claimsOf(AccessToken))
      .setProtectedHeader({ alg: "RS256", kid: keys.access.kid })
      .sign(keys.access.privateKey);
    await expect(getUser(good)).resolves.toMatchObject({ Username: username });
  });

  it("refuses an expired token, by the emulator's clock", async ({ t, clock, clientId, username, getUser }) => {
    const { AccessToken } = await signIn(t, clientId, username);
    clock.advance(3601);
    await expect(getUser(AccessToken)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Access Token has expired",
    });
  });

  it("refuses garbage", async ({ getUser }) => {
    await expect(getUser("not-a-jwt")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });
  });
});

describe("aws-jwt-verify", () => {
  it("CognitoJwtVerifier accepts the access and id tokens with the emulator's JWKS cached", async ({
    t,
    poolId,
    clientId,
    username,
  }) => {
    const jwks = await (await fetch(`${t.url}/${poolId}/.well-known/jwks.json`)).json();
    const tokens = await signIn(t, clientId, username);
    const accessVerifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "access", clientId });
    accessVerifier.cacheJwks(jwks as never);
    await expect(accessVerifier.verify(tokens.AccessToken)).resolves.toMatchObject({
      username: username,
      client_id: clientId,
    });
    const idVerifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "id", clientId });
    idVerifier.cacheJwks(jwks as never);
    await expect(idVerifier.verify(tokens.IdToken)).resolves.toMatchObject({
      "cognito:username": username,
      aud: clientId,
    });
    // And it tells them apart, as it would against real Cognito.
    await expect(accessVerifier.verify(tokens.IdToken)).rejects.toThrow();
    await expect(idVerifier.verify(tokens.AccessToken)).rejects.toThrow();
  });

  it("CognitoJwtVerifier refuses a token of another client", async ({ t, poolId, clientId, username }) => {
    const jwks = await (await fetch(`${t.url}/${poolId}/.well-known/jwks.json`)).json();
    const tokens = await signIn(t, clientId, username);
    const verifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "access", clientId: "someotherclient" });
    verifier.cacheJwks(jwks as never);
    await expect(verifier.verify(tokens.AccessToken)).rejects.toThrow(/client/i);
  });
});

describe("OIDC documents", () => {
  it("aws issuer mode: discovery names the tokens' issuer and a JWKS that holds their keys", async ({
    t,
    poolId,
    clientId,
    username,
  }) => {
    const doc = (await (await fetch(`${t.url}/${poolId}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    const tokens = await signIn(t, clientId, username);
    expect(doc.issuer).toBe(claimsOf(tokens.AccessToken).iss);
    expect(doc.issuer).toBe(claimsOf(tokens.IdToken).iss);
    expect(doc.jwks_uri).toBe(`${t.url}/${poolId}/.well-known/jwks.json`);
    const jwks = (await (await fetch(doc.jwks_uri)).json()) as {
      keys: { kid: string; alg: string; kty: string; use: string }[];
    };
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual(
      [headerOf(tokens.AccessToken).kid, headerOf(tokens.IdToken).kid].sort(),
    );
    for (const k of jwks.keys) expect(k).toMatchObject({ alg: "RS256", kty: "RSA", use: "sig" });
  });

  it("answers 404 for a pool that does not exist", async ({ t }) => {
    expect((await fetch(`${t.url}/us-east-1_nothere/.well-known/jwks.json`)).status).toBe(404);
    expect((await fetch(`${t.url}/us-east-1_nothere/.well-known/openid-configuration`)).status).toBe(404);
  });

  it("local issuer mode: issuer, jwks_uri and the tokens agree, and JwtVerifier accepts the tokens", async () => {
    const local = await startTwin({ issuer: "local" });
    try {
      const lp = await createPool(local);
      const { clientId: lc } = await createClient(local, lp);
      await createUser(local, lp, "bob");
      const tokens = await signIn(local, lc, "bob");
      const doc = (await (await fetch(`${local.url}/${lp}/.well-known/openid-configuration`)).json()) as {
        issuer: string;
        jwks_uri: string;
      };
      expect(doc.issuer).toBe(`${local.url}/${lp}`);
      expect(claimsOf(tokens.AccessToken).iss).toBe(doc.issuer);
      expect(claimsOf(tokens.IdToken).iss).toBe(doc.issuer);
      expect(doc.jwks_uri).toBe(`${doc.issuer}/.well-known/jwks.json`);
      // aws-jwt-verify's own fetcher speaks only https; its documented Fetcher hook lets it read
      // the emulator's plain-http JWKS, and everything else (kid lookup, RS256, iss) is its own.
      const jwksCache = new SimpleJwksCache({
        fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() },
      });
      const verifier = JwtVerifier.create({ issuer: doc.issuer, audience: null, jwksUri: doc.jwks_uri }, { jwksCache });
      await expect(verifier.verify(tokens.AccessToken)).resolves.toMatchObject({
        token_use: "access",
        username: "bob",
      });
      await expect(verifier.verify(tokens.IdToken)).resolves.toMatchObject({
        token_use: "id",
        "cognito:username": "bob",
      });
      // The API accepts its own local-issuer tokens too.
      await expect(local.cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).resolves.toMatchObject({
        Username: "bob",
      });
    } finally {
      await local.close();
    }
  });

  it("local issuer mode with a public URL: the issuer and jwks_uri use it, whatever address the caller used", async () => {
    const twin = await createApp({ logLevel: "silent", issuer: "local", publicUrl: "https://auth.example.test" });
    const lp = ((await call(twin, "CreateUserPool", { PoolName: "p" })).body.UserPool as { Id: string }).Id;
    const lc = (
      (
        await call(twin, "CreateUserPoolClient", {
          UserPoolId: lp,
          ClientName: "c",
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
        })
      ).body.UserPoolClient as { ClientId: string }
    ).ClientId;
    await call(twin, "AdminCreateUser", { UserPoolId: lp, Username: "carol", MessageAction: "SUPPRESS" });
    await call(twin, "AdminSetUserPassword", {
      UserPoolId: lp,
      Username: "carol",
      Password: "Passw0rd!",
      Permanent: true,
    });
    const login = await call(twin, "InitiateAuth", {
      ClientId: lc,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "carol", PASSWORD: "Passw0rd!" },
    });
    const access = (login.body.AuthenticationResult as { AccessToken: string }).AccessToken;
    const res = await twin.app.request(`http://127.0.0.1:9229/${lp}/.well-known/openid-configuration`);
    const doc = (await res.json()) as { issuer: string; jwks_uri: string };
    expect(doc.issuer).toBe(`https://auth.example.test/${lp}`);
    expect(doc.jwks_uri).toBe(`https://auth.example.test/${lp}/.well-known/jwks.json`);
    expect(claimsOf(access).iss).toBe(doc.issuer);
    const jwks = (await (await twin.app.request(`/${lp}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(headerOf(access).kid);
  });
});
