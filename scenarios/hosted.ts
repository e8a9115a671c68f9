// The pool's domain: sign-in on the managed login pages through the seed app's hosted login
// (openid-client, PKCE), the OAuth 2.0 endpoints an app calls itself (the token endpoint's code,
// refresh and client_credentials grants, userInfo, revocation) and the pages' logout. The pages
// are driven with form posts (pages.ts), no browser. Each scenario adds its own app clients (and
// resource server) to the run's pool and deletes them at the end; the domain is the target's
// (made with the run's pool on emulators; COGNITO_DOMAIN on AWS, skipped without one).
import { createHash, createHmac, randomBytes } from "node:crypto";
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientRequest,
  DeleteResourceServerCommand,
  DeleteUserPoolClientCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { createAuthApp } from "../client/app.js";
import { CognitoAuthClient } from "../client/cognito-client.js";
import { HostedLogin } from "../client/hosted-login.js";
import { createAccessTokenVerifier } from "../client/middleware.js";
import { check, ExpectationFailed, equal, status } from "./expect.js";
import { attempt, claims } from "./helpers.js";
import { excerpt, type Page, PageClient } from "./pages.js";
import type { HostedDomain, Scenario, ScenarioContext, ScenarioUser } from "./types.js";

/** The app's addresses, registered on the scenarios' clients; nothing listens there. */
const APP = "http://localhost:3000";
const CALLBACK = `${APP}/callback`;
const SIGNED_OUT = `${APP}/signed-out`;
const USER_SCOPES = ["openid", "email", "profile", "aws.cognito.signin.user.admin"];

/** The target's domain, or the scenario is skipped with the reason. */
function domainOf(ctx: ScenarioContext): HostedDomain {
  if ("unavailable" in ctx.domain) return ctx.skip(ctx.domain.unavailable);
  return ctx.domain;
}

interface MadeClient {
  readonly id: string;
  readonly secret?: string;
}

/**
 * Runs `body` with an app client made in the run's pool (a secret when the run's client has
 * one, unless `extra` says otherwise), deleted afterwards whatever happened; a client that cannot
 * be deleted fails a scenario that passed otherwise.
 */
async function withClient(
  ctx: ScenarioContext,
  what: string,
  extra: Partial<CreateUserPoolClientRequest>,
  body: (client: MadeClient) => Promise<void>,
): Promise<void> {
  let made: MadeClient | undefined;
  let passed = false;
  try {
    made = await ctx.step(`make ${what}`, async () => {
      const r = await attempt(() =>
        ctx.cognito.send(
          new CreateUserPoolClientCommand({
            UserPoolId: ctx.poolId,
            ClientName: `scenarios-${what.replace(/[^a-z0-9]+/gi, "-")}`.slice(0, 128),
            GenerateSecret: ctx.clientSecret !== undefined,
            SupportedIdentityProviders: ["COGNITO"],
            ...extra,
          }),
        ),
      );
      if (!r.ok) ctx.skip(`the target would not make ${what}: ${r.error.type}: ${r.error.message}`);
      const c = r.value.UserPoolClient!;
      return { id: c.ClientId!, ...(c.ClientSecret ? { secret: c.ClientSecret } : {}) };
    });
    await body(made);
    passed = true;
  } finally {
    if (made) {
      const id = made.id;
      const deleted = await attempt(() =>
        ctx.cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: ctx.poolId, ClientId: id })),
      );
      if (!deleted.ok && passed)
        // biome-ignore lint/correctness/noUnsafeFinally: only when the body passed, so it hides nothing
        throw new ExpectationFailed(
          `the client ${id} could not be deleted from the run's pool: ${deleted.error.type}: ${deleted.error.message}`,
        );
    }
  }
}

/** A client for the pages: the code grant back to the app's callback. */
function withHostedClient(ctx: ScenarioContext, body: (client: MadeClient) => Promise<void>): Promise<void> {
  return withClient(
    ctx,
    "a hosted-UI app client",
    {
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: USER_SCOPES,
      CallbackURLs: [CALLBACK],
      LogoutURLs: [SIGNED_OUT],
      EnableTokenRevocation: true,
    },
    body,
  );
}

/** The seed app with its hosted login, for one client; its internal errors fail the step. */
function hostedApp(ctx: ScenarioContext, domain: HostedDomain, client: MadeClient) {
  const base = {
    region: ctx.region,
    userPoolId: ctx.poolId,
    clientId: client.id,
    ...(client.secret ? { clientSecret: client.secret } : {}),
  };
  const problems: unknown[] = [];
  const app = createAuthApp({
    cognito: new CognitoAuthClient(base, { sdk: ctx.cognito }),
    verifier: createAccessTokenVerifier(
      { ...base, issuer: ctx.issuer, jwksUrl: ctx.jwksUrl },
      ctx.clock ? { now: () => ctx.clock!.now() } : {},
    ),
    hosted: new HostedLogin({
      ...base,
      domain: domain.base,
      callbackUrl: CALLBACK,
      logoutUrl: SIGNED_OUT,
      discoveryUrl: domain.discoveryUrl,
    }),
    logError: (e) => problems.push(e),
  });
  const browser = new PageClient(APP, async (url, init) => {
    const res = await app.request(url, init);
    if (problems.length > 0) throw new Error(`the client app failed internally: ${String(problems[0])}`);
    return res;
  });
  return { app, browser };
}

/** The app's /login/hosted, then the pages as far as they go on their own. */
async function startAtApp(app: PageClient, pages: PageClient): Promise<{ authorize: URL; page: Page }> {
  const start = await app.fetch("/login/hosted");
  if (start.status !== 302 || !start.location)
    throw new ExpectationFailed(`GET /login/hosted: expected a redirect, got ${start.status} ${start.body}`);
  return { authorize: new URL(start.location), page: await pages.open(start.location) };
}

/** The login page's form posted: answers the page it led to (or the redirect out of the pages). */
function postLogin(pages: PageClient, page: Page, user: ScenarioUser, password = user.password): Promise<Page> {
  if (page.status !== 200) throw new ExpectationFailed(`the login page answered ${page.status}: ${excerpt(page.body)}`);
  return pages.submit(page, { username: user.email, password }, "password");
}

/** The query of a redirect to the app's callback; fails for anything else. */
function callbackOf(page: Page, what: string): URLSearchParams {
  if (!page.location?.startsWith(`${CALLBACK}?`))
    throw new ExpectationFailed(
      `${what}: expected a redirect to ${CALLBACK}, got ${page.status}${page.location ? ` to ${page.location}` : `: ${excerpt(page.body)}`}`,
    );
  return new URL(page.location).searchParams;
}

/** Signs in through the app: its /login/hosted, the pages, its callback. Answers the tokens. */
async function appSignIn(app: PageClient, pages: PageClient, user: ScenarioUser): Promise<Record<string, unknown>> {
  const { page } = await startAtApp(app, pages);
  const back = await postLogin(pages, page, user);
  callbackOf(back, "after the password");
  const done = await app.fetch(back.location!);
  return JSON.parse(await bodyOf(done, 200, "the app's callback")) as Record<string, unknown>;
}

async function bodyOf(page: Page, expected: number, what: string): Promise<string> {
  if (page.status !== expected)
    throw new ExpectationFailed(`${what}: expected HTTP ${expected}, got ${page.status} ${page.body.slice(0, 300)}`);
  return page.body;
}

/** `Authorization: Basic` when the client has a secret, else `client_id` in the form. */
function clientAuth(client: MadeClient): { headers: Record<string, string>; form: Record<string, string> } {
  if (!client.secret) return { headers: {}, form: { client_id: client.id } };
  const basic = Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString("base64");
  return { headers: { authorization: `Basic ${basic}` }, form: {} };
}

/** A POST to one of the domain's JSON endpoints. */
function postTo(
  domain: HostedDomain,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return fetch(`${domain.base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

/** Fails unless the endpoint answered this OAuth error. */
async function oauthError(res: Response, expected: string, what: string): Promise<void> {
  const text = await res.text();
  let error: unknown;
  try {
    error = (JSON.parse(text) as { error?: unknown }).error;
  } catch {
    error = undefined;
  }
  if (res.status < 400 || error !== expected)
    throw new ExpectationFailed(`${what}: expected ${expected}, got ${res.status} ${text.slice(0, 200)}`);
}

const hostedLogin: Scenario = {
  name: "hosted-login",
  description:
    "the app's GET /login/hosted: PKCE on the managed login pages (form posts), a wrong password, the code redeemed by openid-client, the app's session, the pages' session reused",
  async run(ctx) {
    const domain = domainOf(ctx);
    await withHostedClient(ctx, async (client) => {
      const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
      const { browser: app } = hostedApp(ctx, domain, client);
      const pages = new PageClient(domain.base);
      const first = await ctx.step(
        "GET /login/hosted sends the browser to authorize with PKCE, state and nonce",
        async () => {
          const { authorize, page } = await startAtApp(app, pages);
          equal(`${authorize.origin}${authorize.pathname}`, `${domain.base}/oauth2/authorize`, "authorize endpoint");
          const q = authorize.searchParams;
          equal(q.get("response_type"), "code", "response_type");
          equal(q.get("client_id"), client.id, "client_id");
          equal(q.get("redirect_uri"), CALLBACK, "redirect_uri");
          equal(q.get("code_challenge_method"), "S256", "code_challenge_method");
          check(/^[A-Za-z0-9_-]{43}$/.test(q.get("code_challenge") ?? ""), "no S256 code_challenge");
          check(q.get("state") && q.get("nonce"), "no state or nonce");
          check(app.cookies.has("session_hosted"), "the app kept no transaction cookie");
          return { page, state: q.get("state")! };
        },
      );
      const retry = await ctx.step("a wrong password is refused on the page", async () => {
        const page = await postLogin(pages, first.page, user, `${user.password}x`);
        equal(page.status, 200, "status of the page after a wrong password");
        check(
          page.body.includes("Incorrect username or password."),
          `no "Incorrect username or password." on the page: ${excerpt(page.body)}`,
        );
        return page;
      });
      const back = await ctx.step("the right password: back to the callback with a code and the state", async () => {
        const page = await postLogin(pages, retry, user);
        const q = callbackOf(page, "after the password");
        check(q.get("code"), "no code on the callback");
        equal(q.get("state"), first.state, "state on the callback");
        return page.location!;
      });
      await ctx.step("the app redeems the code (openid-client) and sets its session", async () => {
        const body = JSON.parse(await bodyOf(await app.fetch(back), 200, "GET /callback")) as Record<string, unknown>;
        equal(body.message, "Login successful", "message");
        check(typeof body.idToken === "string" && typeof body.refreshToken === "string", "no id or refresh token");
        const id = claims(body.idToken as string);
        equal(id.aud, client.id, "id token aud");
        equal(id.iss, ctx.issuer, "id token iss");
        check(typeof id.nonce === "string", "no nonce in the id token");
        equal(app.cookies.get("session")?.value, body.accessToken as string, "the session cookie");
        const me = JSON.parse(await bodyOf(await app.fetch("/me"), 200, "GET /me")) as Record<string, unknown>;
        equal(me.clientId, client.id, "/me clientId");
        equal(me.username, user.sub, "/me username (the sub)");
        const scope = String(me.scope).split(" ").sort().join(" ");
        equal(scope, [...USER_SCOPES].sort().join(" "), "/me scope");
      });
      await ctx.step("the pages' session answers the next sign-in at once", async () => {
        const { page } = await startAtApp(app, pages);
        check(callbackOf(page, "a second sign-in").get("code"), "no code on the callback");
        await bodyOf(await app.fetch(page.location!), 200, "GET /callback");
      });
    });
  },
};

/** RFC 7636 S256: a verifier and its challenge. */
function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

const hostedTokens: Scenario = {
  name: "hosted-tokens",
  description:
    "the token endpoint by hand: a PKCE code redeemed once, refresh_token, userInfo, revocation (the revoked refresh token refused)",
  async run(ctx) {
    const domain = domainOf(ctx);
    await withHostedClient(ctx, async (client) => {
      const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
      const auth = clientAuth(client);
      const { verifier, challenge } = pkce();
      const nonce = randomBytes(12).toString("hex");
      const code = await ctx.step("sign in on the pages with an S256 challenge", async () => {
        const pages = new PageClient(domain.base);
        const query = new URLSearchParams({
          response_type: "code",
          client_id: client.id,
          redirect_uri: CALLBACK,
          scope: "openid email aws.cognito.signin.user.admin",
          state: "st-1",
          nonce,
          code_challenge: challenge,
          code_challenge_method: "S256",
        });
        const page = await pages.open(`${domain.base}/oauth2/authorize?${query}`);
        const q = callbackOf(await postLogin(pages, page, user), "after the password");
        equal(q.get("state"), "st-1", "state");
        return q.get("code")!;
      });
      const redeem = () =>
        postTo(
          domain,
          "/oauth2/token",
          { grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: verifier, ...auth.form },
          auth.headers,
        );
      const tokens = await ctx.step("redeem the code at /oauth2/token with the verifier", async () => {
        const res = await redeem();
        equal(res.headers.get("cache-control"), "no-store", "Cache-Control");
        const body = await status(res, 200, "POST /oauth2/token (authorization_code)");
        equal(body.token_type, "Bearer", "token_type");
        equal(body.expires_in, 3600, "expires_in");
        check(typeof body.refresh_token === "string", "no refresh_token");
        const id = claims(body.id_token as string);
        equal(id.nonce, nonce, "id token nonce");
        equal(id.aud, client.id, "id token aud");
        check(typeof id.at_hash === "string", "no at_hash in the id token");
        const access = claims(body.access_token as string);
        equal(access.scope, "openid email aws.cognito.signin.user.admin", "access token scope");
        equal(access.client_id, client.id, "access token client_id");
        equal(access.token_use, "access", "token_use");
        return body as { access_token: string; refresh_token: string; id_token: string };
      });
      await ctx.step("the code is good for one request", async () => {
        await oauthError(await redeem(), "invalid_grant", "the same code again");
      });
      const refresh = (token: string) =>
        postTo(
          domain,
          "/oauth2/token",
          { grant_type: "refresh_token", refresh_token: token, ...auth.form },
          auth.headers,
        );
      await ctx.step("refresh at the token endpoint", async () => {
        const body = await status(await refresh(tokens.refresh_token), 200, "POST /oauth2/token (refresh_token)");
        check(typeof body.access_token === "string" && typeof body.id_token === "string", "no new access or id token");
        check(body.refresh_token === undefined, "a new refresh token without rotation");
        const before = claims(tokens.access_token);
        const after = claims(body.access_token as string);
        equal(after.origin_jti, before.origin_jti, "origin_jti");
        equal(after.auth_time, before.auth_time, "auth_time");
        equal(after.scope, before.scope, "scope");
      });
      await ctx.step("userInfo answers the user's attributes", async () => {
        const res = await fetch(`${domain.base}/oauth2/userInfo`, {
          headers: { authorization: `Bearer ${tokens.access_token}` },
        });
        const body = await status(res, 200, "GET /oauth2/userInfo");
        equal(body.sub, user.sub, "sub");
        equal(body.email, user.email, "email");
        equal(body.email_verified, "true", "email_verified");
        check(body.name === undefined, "name given without the profile scope");
        const bare = await fetch(`${domain.base}/oauth2/userInfo`);
        check(bare.status >= 400, `userInfo without a token answered ${bare.status}`);
        await bare.body?.cancel();
      });
      await ctx.step("revoke the refresh token", async () => {
        const res = await postTo(domain, "/oauth2/revoke", { token: tokens.refresh_token, ...auth.form }, auth.headers);
        await status(res, 200, "POST /oauth2/revoke");
      });
      await ctx.step("the revoked refresh token is refused", async () => {
        await oauthError(await refresh(tokens.refresh_token), "invalid_grant", "refresh after revoking");
      });
    });
  },
};

const hostedLogout: Scenario = {
  name: "hosted-logout",
  description:
    "the app's GET /logout: its cookie cleared, the domain's /logout back to the sign-out URL, and the pages ask for the password again",
  async run(ctx) {
    const domain = domainOf(ctx);
    await withHostedClient(ctx, async (client) => {
      const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
      const { browser: app } = hostedApp(ctx, domain, client);
      const pages = new PageClient(domain.base);
      await ctx.step("sign in through the app", async () => {
        await appSignIn(app, pages, user);
        await bodyOf(await app.fetch("/protected"), 200, "GET /protected");
      });
      const out = await ctx.step(
        "GET /logout clears the app's cookie and sends the browser to the domain",
        async () => {
          const res = await app.fetch("/logout");
          equal(res.status, 302, "GET /logout status");
          const url = new URL(res.location!);
          equal(`${url.origin}${url.pathname}`, `${domain.base}/logout`, "logout endpoint");
          equal(url.searchParams.get("client_id"), client.id, "client_id");
          equal(url.searchParams.get("logout_uri"), SIGNED_OUT, "logout_uri");
          check(!app.cookies.has("session"), "the session cookie is still set");
          return res.location!;
        },
      );
      await ctx.step("the domain's /logout ends the pages' session and returns to the sign-out URL", async () => {
        const page = await pages.open(out);
        equal(page.location, SIGNED_OUT, "where /logout sent the browser");
        equal((await app.fetch("/me")).status, 401, "GET /me after logging out");
      });
      await ctx.step("the next sign-in asks for the password again", async () => {
        const { page } = await startAtApp(app, pages);
        equal(page.status, 200, "the login page");
        check(page.location === undefined && page.body.includes('name="password"'), "no password field on the page");
      });
    });
  },
};

const clientCredentials: Scenario = {
  name: "client-credentials",
  description:
    "a resource server and a machine client: client_credentials at /oauth2/token (Basic and form), its custom scopes, invalid_scope, invalid_client, no user sign-in through it",
  async run(ctx) {
    const domain = domainOf(ctx);
    const identifier = `https://api-${randomBytes(4).toString("hex")}.scenarios.example`;
    let made = false;
    let passed = false;
    try {
      await ctx.step("make a resource server with read and write scopes", async () => {
        const r = await attempt(() =>
          ctx.cognito.send(
            new CreateResourceServerCommand({
              UserPoolId: ctx.poolId,
              Identifier: identifier,
              Name: "scenarios API",
              Scopes: [
                { ScopeName: "read", ScopeDescription: "read things" },
                { ScopeName: "write", ScopeDescription: "write things" },
              ],
            }),
          ),
        );
        if (!r.ok) ctx.skip(`the target would not make a resource server: ${r.error.type}: ${r.error.message}`);
        made = true;
      });
      await withClient(
        ctx,
        "a machine client",
        {
          GenerateSecret: true,
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["client_credentials"],
          AllowedOAuthScopes: [`${identifier}/read`],
        },
        async (client) => {
          const secret = client.secret!;
          const basic = { authorization: `Basic ${Buffer.from(`${client.id}:${secret}`).toString("base64")}` };
          const token = await ctx.step("client_credentials with HTTP Basic", async () => {
            const body = await status(
              await postTo(domain, "/oauth2/token", { grant_type: "client_credentials" }, basic),
              200,
              "POST /oauth2/token (client_credentials)",
            );
            equal(body.token_type, "Bearer", "token_type");
            check(typeof body.expires_in === "number" && body.expires_in > 0, `expires_in ${body.expires_in}`);
            check(body.refresh_token === undefined && body.id_token === undefined, "a refresh or id token");
            return body.access_token as string;
          });
          await ctx.step("the token verifies against the pool's keys and carries the custom scope", async () => {
            const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(ctx.jwksUrl)), {
              issuer: ctx.issuer,
              ...(ctx.clock ? { currentDate: new Date(ctx.clock.now()) } : {}),
            });
            equal(payload.token_use, "access", "token_use");
            equal(payload.client_id, client.id, "client_id");
            equal(payload.sub, client.id, "sub (the client)");
            equal(payload.scope, `${identifier}/read`, "scope");
            check(payload.username === undefined, "a username in a client's token");
          });
          await ctx.step("the secret in the form works too, asking for the scope by name", async () => {
            const body = await status(
              await postTo(domain, "/oauth2/token", {
                grant_type: "client_credentials",
                client_id: client.id,
                client_secret: secret,
                scope: `${identifier}/read`,
              }),
              200,
              "POST /oauth2/token (secret in the form)",
            );
            equal(claims(body.access_token as string).scope, `${identifier}/read`, "scope");
          });
          await ctx.step("a scope the client may not ask for: invalid_scope", async () => {
            const res = await postTo(
              domain,
              "/oauth2/token",
              { grant_type: "client_credentials", scope: `${identifier}/write` },
              basic,
            );
            await oauthError(res, "invalid_scope", "the write scope");
          });
          await ctx.step("a wrong secret: invalid_client", async () => {
            const wrong = { authorization: `Basic ${Buffer.from(`${client.id}:${secret}x`).toString("base64")}` };
            await oauthError(
              await postTo(domain, "/oauth2/token", { grant_type: "client_credentials" }, wrong),
              "invalid_client",
              "a wrong secret",
            );
          });
          await ctx.step("the user pool API refuses the client's token", async () => {
            const r = await ctx.client.getUser(token);
            check(!r.ok, "GetUser accepted a client_credentials token");
            ctx.note(`GetUser: ${r.error.type}: ${r.error.message}`);
          });
          await ctx.step("a user cannot sign in through the machine client", async () => {
            const user = await ctx.confirmedUser();
            const hash = createHmac("sha256", secret)
              .update(user.email + client.id)
              .digest("base64");
            const r = await attempt(() =>
              ctx.cognito.send(
                new InitiateAuthCommand({
                  ClientId: client.id,
                  AuthFlow: "USER_PASSWORD_AUTH",
                  AuthParameters: { USERNAME: user.email, PASSWORD: user.password, SECRET_HASH: hash },
                }),
              ),
            );
            check(!r.ok, "USER_PASSWORD_AUTH worked through a client_credentials client");
            ctx.note(`InitiateAuth: ${r.error.type}: ${r.error.message}`);
          });
        },
      );
      passed = true;
    } finally {
      if (made) {
        const deleted = await attempt(() =>
          ctx.cognito.send(new DeleteResourceServerCommand({ UserPoolId: ctx.poolId, Identifier: identifier })),
        );
        if (!deleted.ok && passed)
          // biome-ignore lint/correctness/noUnsafeFinally: only when the body passed, so it hides nothing
          throw new ExpectationFailed(
            `the resource server ${identifier} could not be deleted: ${deleted.error.type}: ${deleted.error.message}`,
          );
      }
    }
  },
};

/** The pages and the token endpoint failing on purpose (fault rules, docs/faults.md): emulators only. */
const hostedThrottled: Scenario = {
  name: "hosted-sign-in-throttled",
  description:
    "managed login while Cognito throttles or its front door fails: the pages answer their error page, the app's callback its own clean error, then the sign-in works",
  needs: ["faults"],
  async run(ctx) {
    const domain = domainOf(ctx);
    // The runner skips this scenario on targets without fault rules (needs).
    const faults = ctx.faults!;
    await withHostedClient(ctx, async (client) => {
      const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
      const { browser: app } = hostedApp(ctx, domain, client);
      const pages = new PageClient(domain.base);
      await ctx.step("the login page's POST throttled: HTTP 429, an error page, no code", async () => {
        const { page } = await startAtApp(app, pages);
        // Set once the page is shown: the rule answers the next request to /login, the form's POST.
        await faults.add({ path: "/login", clientId: client.id, action: "throttle", count: 1 });
        const after = await postLogin(pages, page, user);
        equal(after.status, 429, "status of the page");
        check(!after.location, `the throttled page redirected to ${after.location}`);
        check(after.body.includes("Rate exceeded"), `no "Rate exceeded" on the page: ${excerpt(after.body)}`);
      });
      await ctx.step("the password again: back to the app with a code", async () => {
        const { page } = await startAtApp(app, pages);
        check(callbackOf(await postLogin(pages, page, user), "after the password").get("code"), "no code");
      });
      await ctx.step("the token endpoint throttled: the app's callback answers 400, no session", async () => {
        await faults.add({ path: "/oauth2/token", clientId: client.id, action: "throttle", count: 1 });
        const { page } = await startAtApp(app, pages);
        callbackOf(page, "the pages' session");
        const done = await app.fetch(page.location!);
        const body = JSON.parse(await bodyOf(done, 400, "GET /callback")) as { error?: { type?: string } };
        equal(body.error?.type, "too_many_requests", "error.type");
        check(!app.cookies.has("session"), "a throttled callback set a session cookie");
      });
      await ctx.step("the front door's 503 at the token endpoint: the app's callback answers 502", async () => {
        await faults.add({ path: "/oauth2/token", action: "http503", clientId: client.id, count: 1 });
        const { page } = await startAtApp(app, pages);
        const done = await app.fetch(page.location!);
        const body = JSON.parse(await bodyOf(done, 502, "GET /callback")) as { error?: { type?: string } };
        equal(body.error?.type, "upstream_error", "error.type");
      });
      await ctx.step("the rules are spent: the sign-in ends in the app's session", async () => {
        const { page } = await startAtApp(app, pages);
        callbackOf(page, "the pages' session");
        await bodyOf(await app.fetch(page.location!), 200, "GET /callback");
        check(app.cookies.has("session"), "no session cookie");
      });
    });
  },
};

/** The hosted scenarios, in run order. */
export const hostedScenarios: readonly Scenario[] = [
  hostedLogin,
  hostedTokens,
  hostedLogout,
  clientCredentials,
  hostedThrottled,
];
