// The verifier and middleware against keys made here, so every claim can be bent on purpose.
import { Hono } from "hono";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type AuthEnv,
  createAccessTokenVerifier,
  createRequireAuth,
  expectedIssuer,
  jwksUrlFor,
} from "./middleware.js";

const POOL = "eu-west-1_TestPool1";
const CLIENT = "testclient0000000000000001";
const ISS = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const NOW = 1_800_000_000; // fixed epoch seconds: the verifier gets this clock

let key: CryptoKey;
let otherKey: CryptoKey;
let jwks: { keys: JWK[] };

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  key = pair.privateKey;
  otherKey = (await generateKeyPair("RS256")).privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" }] };
});

function token(
  claims: Record<string, unknown> = {},
  opts: { kid?: string; signWith?: CryptoKey } = {},
): Promise<string> {
  return new SignJWT({
    sub: "sub-1",
    iss: ISS,
    client_id: CLIENT,
    token_use: "access",
    scope: "aws.cognito.signin.user.admin",
    username: "user-1",
    iat: NOW - 10,
    exp: NOW + 3590,
    ...claims,
  })
    .setProtectedHeader({ alg: "RS256", kid: opts.kid ?? "k1" })
    .sign(opts.signWith ?? key);
}

function setup() {
  const fetched: string[] = [];
  const verifier = createAccessTokenVerifier(
    { region: "eu-west-1", userPoolId: POOL, clientId: CLIENT, endpoint: "http://twin.test" },
    {
      now: () => NOW * 1000,
      fetch: async (url) => {
        fetched.push(String(url));
        return new Response(JSON.stringify(jwks), { headers: { "content-type": "application/json" } });
      },
    },
  );
  const requireAuth = createRequireAuth(verifier, { cookieName: "session" });
  const app = new Hono<AuthEnv>();
  app.get("/p", requireAuth(), (c) => c.json({ user: c.get("claims").username }));
  app.get("/admin", requireAuth({ group: "admin" }), (c) => c.json({ groups: c.get("claims")["cognito:groups"] }));
  return { app, verifier, fetched };
}

describe("URLs", () => {
  it("derives the JWKS URL and issuer for the emulator and for AWS", () => {
    expect(
      jwksUrlFor({ region: "eu-west-1", userPoolId: POOL, clientId: CLIENT, endpoint: "http://127.0.0.1:9229/" }),
    ).toBe(`http://127.0.0.1:9229/${POOL}/.well-known/jwks.json`);
    expect(jwksUrlFor({ region: "eu-west-1", userPoolId: POOL, clientId: CLIENT })).toBe(
      `${ISS}/.well-known/jwks.json`,
    );
    expect(
      expectedIssuer({ region: "eu-west-1", userPoolId: POOL, clientId: CLIENT, endpoint: "http://127.0.0.1:9229" }),
    ).toBe(ISS);
    expect(expectedIssuer({ region: "eu-west-1", userPoolId: POOL, clientId: CLIENT, issuer: "http://x/y" })).toBe(
      "http://x/y",
    );
  });
});

describe("requireAuth", () => {
  it("accepts a good token from the header or the cookie and fetches the keys once", async () => {
    const { app, fetched } = setup();
    const t = await token();
    for (let i = 0; i < 5; i++) {
      const res = await app.request("/p", { headers: { authorization: `Bearer ${t}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ user: "user-1" });
    }
    expect((await app.request("/p", { headers: { cookie: `session=${t}` } })).status).toBe(200);
    expect(fetched).toEqual([`http://twin.test/${POOL}/.well-known/jwks.json`]);
  });

  it("answers 401 with a bare Bearer challenge when there is no token", async () => {
    const res = await setup().app.request("/p");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="cognito-twin-client"');
    expect(await res.json()).toEqual({ error: { type: "unauthorized", message: "Authentication required" } });
  });

  it("answers 400 invalid_request for an Authorization header that is not Bearer", async () => {
    const res = await setup().app.request("/p", { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(res.status).toBe(400);
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_request"');
  });

  it.each([
    ["an expired token", () => token({ exp: NOW - 1 }), "The access token expired"],
    [
      "another pool's issuer",
      () => token({ iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other" }),
      "The token's iss claim is not valid for this pool",
    ],
    ["an id token", () => token({ token_use: "id" }), 'The token is not an access token (token_use "id")'],
    ["another client's token", () => token({ client_id: "someoneelse" }), "The token was issued to another app client"],
    ["a token without username", () => token({ username: undefined }), "The token has no username claim"],
    ["a token signed by another key", () => token({}, { signWith: otherKey }), "The token's signature does not verify"],
    [
      "a token with an unknown kid",
      () => token({}, { kid: "k2" }),
      "The token was signed by a key this pool does not publish",
    ],
    ["garbage", async () => "not-a-jwt", "The access token is not a JWT"],
    [
      "an unsigned token",
      async () => `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from("{}").toString("base64url")}.`,
      "The token's algorithm is not RS256",
    ],
  ])("refuses %s: 401 invalid_token", async (_label, make, message) => {
    const res = await setup().app.request("/p", { headers: { authorization: `Bearer ${await make()}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer realm="cognito-twin-client", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`,
    );
    expect(await res.json()).toEqual({ error: { type: "invalid_token", message } });
  });

  it("requires the group: 403 insufficient_scope without it, 200 with it", async () => {
    const { app } = setup();
    const plain = await app.request("/admin", { headers: { authorization: `Bearer ${await token()}` } });
    expect(plain.status).toBe(403);
    expect(plain.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect(await plain.json()).toEqual({
      error: { type: "insufficient_scope", message: "Requires membership of the group admin" },
    });
    const member = await app.request("/admin", {
      headers: { authorization: `Bearer ${await token({ "cognito:groups": ["staff", "admin"] })}` },
    });
    expect(member.status).toBe(200);
    expect(await member.json()).toEqual({ groups: ["staff", "admin"] });
  });

  it("answers 503 when the keys cannot be fetched (the token is not blamed)", async () => {
    const verifier = createAccessTokenVerifier(
      { region: "eu-west-1", userPoolId: POOL, clientId: CLIENT, endpoint: "http://twin.test" },
      { now: () => NOW * 1000, fetch: async () => new Response("nope", { status: 500 }) },
    );
    const app = new Hono<AuthEnv>();
    app.get("/p", createRequireAuth(verifier, { cookieName: "session" })(), (c) => c.text("in"));
    const res = await app.request("/p", { headers: { authorization: `Bearer ${await token()}` } });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: { type: "unavailable", message: "The pool's signing keys could not be fetched" },
    });
  });
});
