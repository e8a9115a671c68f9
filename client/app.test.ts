// The auth app end to end against the in-process emulator (real SDK, real JWKS over HTTP).
import {
  AdminCreateUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileClock } from "../test-support/fixtures.js";
import { GUIDE_POOL } from "../test-support/seed-guide.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";
import { createAuthApp } from "./app.js";
import { CognitoAuthClient, type CognitoClientConfig } from "./cognito-client.js";
import { createAccessTokenVerifier } from "./middleware.js";

let t: TestTwin;
let poolId: string;
let plain: CognitoClientConfig;
let withSecret: CognitoClientConfig;

// Stands still until a test moves it, and goes back after each test.
const clock = fileClock(() => t?.twin);

beforeAll(async () => {
  t = await startTwin({}, { clock });
  // The seed guide's pool, the one the app is written for.
  const pool = await t.cognito.send(new CreateUserPoolCommand(GUIDE_POOL));
  poolId = pool.UserPool!.Id!;
  const make = async (secret: boolean): Promise<CognitoClientConfig> => {
    const c = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "app",
        GenerateSecret: secret,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    return {
      region: "us-east-1",
      userPoolId: poolId,
      clientId: c.UserPoolClient!.ClientId!,
      ...(secret ? { clientSecret: c.UserPoolClient!.ClientSecret! } : {}),
      endpoint: t.url,
    };
  };
  plain = await make(false);
  withSecret = await make(true);
});
afterAll(() => t.close());

function appFor(
  cfg: CognitoClientConfig,
  extra: { secureCookie?: boolean; logError?: (e: unknown) => void; cognito?: CognitoAuthClient } = {},
) {
  return createAuthApp({
    cognito: extra.cognito ?? new CognitoAuthClient(cfg),
    verifier: createAccessTokenVerifier({ ...cfg }, { now: () => t.twin.services.clock.now() }),
    ...(extra.secureCookie !== undefined ? { secureCookie: extra.secureCookie } : {}),
    logError: extra.logError ?? (() => undefined),
  });
}

type App = ReturnType<typeof appFor>;
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});
const form = (body: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(body).toString(),
});

async function code(sub: string, reason: string): Promise<string> {
  const { messages } = (await (await fetch(`${t.url}/_twin/messages?userPoolId=${poolId}&username=${sub}`)).json()) as {
    messages: { reason: string; code: string }[];
  };
  return messages.filter((m) => m.reason === reason).at(-1)!.code;
}

/** Registers and confirms through the app; returns the user's sub. */
async function registered(app: App, email: string, password = "Passw0rd!"): Promise<string> {
  const res = await app.request("/register", json({ email, password, name: "Test User" }));
  expect(res.status).toBe(201);
  const { userSub } = (await res.json()) as { userSub: string };
  expect((await app.request("/confirm", json({ email, code: await code(userSub, "SignUp") }))).status).toBe(200);
  return userSub;
}

function sessionOf(res: Response): string {
  const line = res.headers.getSetCookie().find((c) => c.startsWith("session="))!;
  return line.split(";")[0]!;
}

describe("register and confirm", () => {
  it("registers from the seed's JSON curl and from a form", async () => {
    const app = appFor(plain);
    const res = await app.request(
      "/register",
      json({ email: "test@example.com", password: "Test123!", name: "Test User" }),
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      message: "Registration successful",
      confirmed: false,
      codeDelivery: { medium: "EMAIL", attribute: "email", destination: "t***@e***" },
    });
    const viaForm = await app.request(
      "/register",
      form({ email: "form@example.com", password: "Test123!", name: "Form User" }),
    );
    expect(viaForm.status).toBe(201);
  });

  it("answers Cognito's refusals as 400 with the error type and message", async () => {
    const app = appFor(plain);
    const dup = await app.request(
      "/register",
      json({ email: "test@example.com", password: "Test123!", name: "Again" }),
    );
    expect(dup.status).toBe(400);
    expect(await dup.json()).toEqual({
      error: { type: "UsernameExistsException", message: "An account with the given email already exists." },
    });
    const weak = await app.request("/register", json({ email: "weak@example.com", password: "weakpass", name: "W" }));
    expect(await weak.json()).toEqual({
      error: {
        type: "InvalidPasswordException",
        message: "Password did not conform with policy: Password must have uppercase characters",
      },
    });
    const bad = await app.request("/confirm", json({ email: "test@example.com", code: "000000x" }));
    expect(bad.status).toBe(400);
  });

  it("answers bad requests with 400/415/404 JSON", async () => {
    const app = appFor(plain);
    const missing = await app.request("/register", json({ email: "x@example.com" }));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: { type: "bad_request", message: "Missing fields: password, name" } });
    const notJson = await app.request("/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    expect(await notJson.json()).toEqual({ error: { type: "bad_request", message: "The body is not valid JSON" } });
    const wrongType = await app.request("/login", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "hi",
    });
    expect(wrongType.status).toBe(415);
    const number = await app.request("/login", json({ email: "x@example.com", password: 12345678 }));
    expect(await number.json()).toEqual({ error: { type: "bad_request", message: "Field password must be a string" } });
    const nowhere = await app.request("/nowhere");
    expect(nowhere.status).toBe(404);
    expect(await nowhere.json()).toEqual({ error: { type: "not_found", message: "No route for GET /nowhere" } });
  });
});

describe("login and protected routes", () => {
  it("logs in with a session cookie and the tokens in the body; the cookie and a bearer open /protected and /me", async () => {
    const app = appFor(plain);
    await registered(app, "login@example.com");
    const res = await app.request("/login", form({ email: "login@example.com", password: "Passw0rd!" }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ message: "Login successful", expiresIn: 3600, tokenType: "Bearer" });
    expect(body.token).toBe(body.accessToken);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("session="))!;
    expect(cookie).toBe(`session=${String(body.accessToken)}; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax`);

    const viaCookie = await app.request("/protected", { headers: { cookie: sessionOf(res) } });
    expect(viaCookie.status).toBe(200);
    const me = await app.request("/me", { headers: { authorization: `Bearer ${String(body.accessToken)}` } });
    expect(await me.json()).toMatchObject({
      username: expect.any(String),
      groups: [],
      clientId: plain.clientId,
      scope: "aws.cognito.signin.user.admin",
    });
    expect((await app.request("/admin", { headers: { cookie: sessionOf(res) } })).status).toBe(403);
  });

  it("marks the cookie Secure when asked", async () => {
    const app = appFor(plain, { secureCookie: true });
    const res = await app.request("/login", json({ email: "login@example.com", password: "Passw0rd!" }));
    expect(res.headers.getSetCookie()[0]).toMatch(/; Secure/);
  });

  it("refuses wrong credentials and unconfirmed users with 401, and sets no cookie", async () => {
    const app = appFor(plain);
    const wrong = await app.request("/login", json({ email: "login@example.com", password: "Wr0ng!pass" }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe('Bearer realm="cognito-twin-client"');
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect(await wrong.json()).toEqual({
      error: { type: "NotAuthorizedException", message: "Incorrect username or password." },
    });
    await app.request("/register", json({ email: "unconfirmed@example.com", password: "Passw0rd!", name: "U" }));
    const unconfirmed = await app.request("/login", json({ email: "unconfirmed@example.com", password: "Passw0rd!" }));
    expect(unconfirmed.status).toBe(401);
    expect(await unconfirmed.json()).toEqual({
      error: { type: "UserNotConfirmedException", message: "User is not confirmed." },
    });
  });

  it("answers a challenge it cannot handle with 401 ChallengeRequired", async () => {
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "invited@example.com",
        TemporaryPassword: "Temp0rary!",
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "name", Value: "I" }],
      }),
    );
    const res = await appFor(plain).request("/login", json({ email: "invited@example.com", password: "Temp0rary!" }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { type: "ChallengeRequired", challenge: "NEW_PASSWORD_REQUIRED" },
    });
  });

  it("refuses an expired token locally once the emulator's clock has moved", async () => {
    const app = appFor(plain);
    const res = await app.request("/login", json({ email: "login@example.com", password: "Passw0rd!" }));
    const session = sessionOf(res);
    expect((await app.request("/protected", { headers: { cookie: session } })).status).toBe(200);
    clock.advance(3600);
    const late = await app.request("/protected", { headers: { cookie: session } });
    expect(late.status).toBe(401);
    expect(late.headers.get("www-authenticate")).toContain('error_description="The access token expired"');
  });
});

describe("refresh, logout, password routes", () => {
  it("refreshes with a client secret, taking the username for SECRET_HASH from the session cookie", async () => {
    const app = appFor(withSecret);
    await registered(app, "secret@example.com");
    const login = await app.request("/login", json({ email: "secret@example.com", password: "Passw0rd!" }));
    const { refreshToken } = (await login.json()) as { refreshToken: string };
    const refreshed = await app.request(
      "/refresh",
      json({ refresh_token: refreshToken }, { cookie: sessionOf(login) }),
    );
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).toMatchObject({ message: "Token refreshed", tokenType: "Bearer" });
    expect(sessionOf(refreshed)).not.toBe(sessionOf(login));
    // Without the cookie or a username, SECRET_HASH cannot be made: Cognito refuses.
    const blind = await app.request("/refresh", json({ refresh_token: refreshToken }));
    expect(blind.status).toBe(401);
    expect(await blind.json()).toMatchObject({ error: { type: "NotAuthorizedException" } });
  });

  it("logs out: GlobalSignOut, cookie cleared, the old token revoked at Cognito", async () => {
    const app = appFor(plain);
    const login = await app.request("/login", json({ email: "login@example.com", password: "Passw0rd!" }));
    const { accessToken } = (await login.json()) as { accessToken: string };
    const out = await app.request("/logout", { method: "POST", headers: { cookie: sessionOf(login) } });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()[0]).toBe("session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
    const again = await app.request("/logout", { method: "POST", headers: { authorization: `Bearer ${accessToken}` } });
    expect(again.status).toBe(401);
    expect(again.headers.get("www-authenticate")).toBe('Bearer realm="cognito-twin-client", error="invalid_token"');
    expect(await again.json()).toEqual({
      error: { type: "NotAuthorizedException", message: "Access Token has been revoked" },
    });
    const none = await app.request("/logout", { method: "POST" });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="cognito-twin-client"');
  });

  it("resets a forgotten password and changes a password", async () => {
    const app = appFor(plain);
    const sub = await registered(app, "reset@example.com");
    const forgot = await app.request("/forgot-password", form({ email: "reset@example.com" }));
    expect(await forgot.json()).toMatchObject({
      message: "Password reset code sent",
      codeDelivery: { medium: "EMAIL" },
    });
    const reset = await app.request(
      "/reset-password",
      json({ email: "reset@example.com", code: await code(sub, "ForgotPassword"), new_password: "N3wPassw0rd!" }),
    );
    expect(reset.status).toBe(200);
    const login = await app.request("/login", json({ email: "reset@example.com", password: "N3wPassw0rd!" }));
    expect(login.status).toBe(200);
    const change = await app.request(
      "/change-password",
      json({ previous_password: "N3wPassw0rd!", proposed_password: "Ch4nged!pass" }, { cookie: sessionOf(login) }),
    );
    expect(change.status).toBe(200);
    expect((await app.request("/change-password", json({ previousPassword: "x", proposedPassword: "y" }))).status).toBe(
      401,
    );
    expect((await app.request("/login", json({ email: "reset@example.com", password: "Ch4nged!pass" }))).status).toBe(
      200,
    );
  });
});

describe("failures of the app itself", () => {
  it("answers 502 without details when Cognito cannot be reached", async () => {
    const app = appFor({ ...plain, endpoint: "http://127.0.0.1:1" });
    const res = await app.request("/login", json({ email: "a@example.com", password: "Passw0rd!" }));
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({
      error: { type: "upstream_error", message: "The identity provider could not be reached" },
    });
  });

  it("answers 500 with no stack trace when a handler throws, and logs the error", async () => {
    const logged: unknown[] = [];
    const broken = new CognitoAuthClient(plain);
    broken.login = () => {
      throw new Error("boom at /secret/path.ts:12");
    };
    const res = await appFor(plain, { cognito: broken, logError: (e) => logged.push(e) }).request(
      "/login",
      json({ email: "a@example.com", password: "x" }),
    );
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { type: "internal_error", message: "Internal server error" } });
    expect(text).not.toContain("boom");
    expect(logged).toHaveLength(1);
  });
});
