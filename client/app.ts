// The seed guide's auth routes as a Hono app: register, confirm, log in (session cookie + JSON
// tokens), refresh, log out, reset a password, and routes protected by local token checks; with
// a HostedLogin, sign-in on the pool's managed login pages too (client/hosted-login.ts).
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { decodeJwt } from "jose";
import type { AuthTokens, CognitoAuthClient, CognitoFailure } from "./cognito-client.js";
import type { HostedLogin, HostedTransaction } from "./hosted-login.js";
import { type AccessTokenVerifier, type AuthEnv, createRequireAuth, tokenFrom } from "./middleware.js";

/** What the app is built from. */
export interface AuthAppOptions {
  readonly cognito: CognitoAuthClient;
  readonly verifier: AccessTokenVerifier;
  /** Session cookie name (default `session`). */
  readonly cookieName?: string;
  /** Add `Secure` to the cookie (default false: the app usually runs on plain http locally). */
  readonly secureCookie?: boolean;
  /** Where unexpected errors are logged (default console.error); never sent to the caller. */
  readonly logError?: (error: unknown) => void;
  /**
   * Sign-in on the pool's managed login pages: adds `GET /login/hosted`, the callback route and
   * `GET /logout` (which also ends the pages' session). Built from the same app client.
   */
  readonly hosted?: HostedLogin;
}

/** Statuses the app answers with. */
type Status = 400 | 401 | 403 | 404 | 409 | 415 | 429 | 500 | 502 | 503;

/** A request the routes cannot use: 400 (or 415) with a JSON error. */
class BadRequest extends Error {
  constructor(
    message: string,
    readonly status: 400 | 415 = 400,
  ) {
    super(message);
  }
}

/**
 * Builds the auth app. Bodies may be JSON or form-encoded; the access token comes from
 * `Authorization: Bearer` or the HttpOnly session cookie set at login.
 *
 * @example
 * const app = createAuthApp({ cognito, verifier: createAccessTokenVerifier(cfg) });
 * serve({ fetch: app.fetch, port: 5000 });
 */
export function createAuthApp(options: AuthAppOptions): Hono<AuthEnv> {
  const { cognito, verifier } = options;
  const cookieName = options.cookieName ?? "session";
  const logError = options.logError ?? ((e: unknown) => console.error(e));
  const requireAuth = createRequireAuth(verifier, { cookieName });
  const app = new Hono<AuthEnv>();

  const setSession = (c: Context, tokens: AuthTokens) =>
    setCookie(c, cookieName, tokens.accessToken, {
      httpOnly: true,
      sameSite: "Lax",
      path: "/",
      secure: options.secureCookie ?? false,
      maxAge: tokens.expiresIn,
    });

  app.post("/register", async (c) => {
    const f = await fields(c, ["email", "password", "name"]);
    const r = await cognito.signUp({ email: f.email, password: f.password, name: f.name });
    if (!r.ok) return failure(c, r.error);
    return c.json(
      {
        message: "Registration successful",
        userSub: r.value.userSub,
        confirmed: r.value.confirmed,
        codeDelivery: r.value.delivery ?? null,
      },
      201,
    );
  });

  app.post("/confirm", async (c) => {
    const f = await fields(c, ["email", "code"]);
    const r = await cognito.confirmSignUp(f.email, f.code);
    if (!r.ok) return failure(c, r.error);
    return c.json({ message: "Account confirmed" });
  });

  app.post("/resend-code", async (c) => {
    const f = await fields(c, ["email"]);
    const r = await cognito.resendCode(f.email);
    if (!r.ok) return failure(c, r.error);
    return c.json({ message: "Code sent", codeDelivery: r.value.delivery ?? null });
  });

  app.post("/login", async (c) => {
    const f = await fields(c, ["email", "password"]);
    const r = await cognito.login(f.email, f.password);
    if (!r.ok) return failure(c, r.error, { unauthorized: AUTH_FAILURES });
    if (r.value.kind === "challenge") {
      // The seed app answers no challenges (NEW_PASSWORD_REQUIRED for admin-created users, MFA).
      c.header("WWW-Authenticate", REALM);
      return c.json(
        {
          error: {
            type: "ChallengeRequired",
            message: `Sign-in needs the ${r.value.challengeName} challenge, which this app does not handle`,
            challenge: r.value.challengeName,
          },
        },
        401,
      );
    }
    setSession(c, r.value.tokens);
    return c.json({ message: "Login successful", token: r.value.tokens.accessToken, ...tokenBody(r.value.tokens) });
  });

  app.post("/refresh", async (c) => {
    const f = await fields(c, ["refreshToken"], ["username"]);
    // With a client secret, SECRET_HASH needs the user's username: taken from the request, or
    // read (unverified: Cognito checks the hash itself) from the current session token.
    const username = f.username ?? usernameOf(tokenFrom(c, cookieName));
    const r = await cognito.refresh(f.refreshToken, username);
    if (!r.ok) return failure(c, r.error, { unauthorized: AUTH_FAILURES, tokenError: true });
    setSession(c, r.value);
    return c.json({ message: "Token refreshed", ...tokenBody(r.value) });
  });

  app.post("/logout", async (c) => {
    const found = tokenFrom(c, cookieName);
    // The cookie goes whatever Cognito says: the browser session ends either way.
    deleteCookie(c, cookieName, { path: "/", httpOnly: true, sameSite: "Lax", secure: options.secureCookie ?? false });
    if (found.kind !== "token") {
      c.header("WWW-Authenticate", REALM);
      return c.json({ error: { type: "unauthorized", message: "No session to log out of" } }, 401);
    }
    const r = await cognito.signOut(found.token);
    if (!r.ok) return failure(c, r.error, { unauthorized: AUTH_FAILURES, tokenError: true });
    // A browser signed in on the managed login pages still has their session: send it there too.
    return c.json({ message: "Logged out", ...(options.hosted ? { logoutUrl: options.hosted.logoutUrl() } : {}) });
  });

  if (options.hosted)
    hostedRoutes(app, options.hosted, { cognito, cookieName, setSession, secure: options.secureCookie ?? false });

  app.post("/forgot-password", async (c) => {
    const f = await fields(c, ["email"]);
    const r = await cognito.forgotPassword(f.email);
    if (!r.ok) return failure(c, r.error);
    return c.json({ message: "Password reset code sent", codeDelivery: r.value.delivery ?? null });
  });

  app.post("/reset-password", async (c) => {
    const f = await fields(c, ["email", "code", "password"]);
    const r = await cognito.confirmForgotPassword(f.email, f.code, f.password);
    if (!r.ok) return failure(c, r.error);
    return c.json({ message: "Password reset" });
  });

  app.post("/change-password", requireAuth(), async (c) => {
    const f = await fields(c, ["previousPassword", "proposedPassword"]);
    const r = await cognito.changePassword(c.get("accessToken"), f.previousPassword, f.proposedPassword);
    if (!r.ok) return failure(c, r.error);
    return c.json({ message: "Password changed" });
  });

  app.get("/protected", requireAuth(), (c) =>
    c.json({ message: "Protected content", username: c.get("claims").username }),
  );

  app.get("/me", requireAuth(), (c) => {
    const claims = c.get("claims");
    return c.json({
      sub: claims.sub,
      username: claims.username,
      groups: claims["cognito:groups"] ?? [],
      clientId: claims.client_id,
      scope: claims.scope ?? null,
      issuedAt: claims.iat ?? null,
      expiresAt: claims.exp,
    });
  });

  app.get("/admin", requireAuth({ group: "admin" }), (c) =>
    c.json({ message: "Admin content", username: c.get("claims").username }),
  );

  app.notFound((c) =>
    c.json(
      { error: { type: "not_found", message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}` } },
      404,
    ),
  );
  app.onError((err, c) => {
    if (err instanceof BadRequest) return c.json({ error: { type: "bad_request", message: err.message } }, err.status);
    logError(err);
    return c.json({ error: { type: "internal_error", message: "Internal server error" } }, 500);
  });
  return app;
}

const REALM = `Bearer realm="cognito-twin-client"`;

/** What a sign-in on the managed login pages may end with that is the user's, not the app's: 401. */
const HOSTED_FAILURES = new Set(["access_denied", "login_required", "interaction_required", "invalid_grant"]);

/** The hosted login's routes: off to the pages, back with the code, and out of both sessions. */
function hostedRoutes(
  app: Hono<AuthEnv>,
  hosted: HostedLogin,
  deps: {
    cognito: CognitoAuthClient;
    cookieName: string;
    setSession: (c: Context, tokens: AuthTokens) => void;
    secure: boolean;
  },
): void {
  // The PKCE verifier, state and nonce, for the callback only, for ten minutes.
  const transactionCookie = `${deps.cookieName}_hosted`;
  const transactionOptions = {
    httpOnly: true,
    sameSite: "Lax" as const,
    path: hosted.callbackPath,
    secure: deps.secure,
  };

  // The app's sign-in page: the managed login pages, and a button per identity provider the
  // client lists (through that provider: the pages are skipped).
  app.get("/login", (c) => {
    const buttons = (hosted.settings.identityProviders ?? []).map(
      (name) =>
        `<li><a href="/login/hosted?identity_provider=${encodeURIComponent(name)}">Sign in with ${escapeHtml(name)}</a></li>`,
    );
    c.header("Cache-Control", "no-store");
    return c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head><body><h1>Sign in</h1><ul><li><a href="/login/hosted">Sign in with your email and password</a></li>${buttons.join("")}</ul></body></html>`,
    );
  });

  app.get("/login/hosted", async (c) => {
    const provider = c.req.query("identity_provider");
    if (provider !== undefined && !(hosted.settings.identityProviders ?? []).includes(provider))
      return c.json(
        { error: { type: "invalid_request", message: `The app does not offer sign-in with ${provider}` } },
        400,
      );
    const r = await hosted.start(provider);
    if (!r.ok) return failure(c, r.error);
    setCookie(c, transactionCookie, encodeTransaction(r.value.transaction), { ...transactionOptions, maxAge: 600 });
    c.header("Cache-Control", "no-store");
    return c.redirect(r.value.url, 302);
  });

  app.get(hosted.callbackPath, async (c) => {
    const transaction = decodeTransaction(getCookie(c, transactionCookie));
    deleteCookie(c, transactionCookie, transactionOptions);
    c.header("Cache-Control", "no-store");
    if (!transaction)
      return c.json(
        {
          error: {
            type: "invalid_callback",
            message: "No sign-in is in progress in this browser: start it at /login/hosted",
          },
        },
        400,
      );
    const r = await hosted.finish(new URL(c.req.url).searchParams, transaction);
    if (!r.ok) return failure(c, r.error, { unauthorized: HOSTED_FAILURES });
    deps.setSession(c, r.value);
    return c.json({ message: "Login successful", token: r.value.accessToken, ...tokenBody(r.value) });
  });

  // For browsers: the app's cookie goes, the tokens are signed out where they can be (GlobalSignOut
  // needs the aws.cognito.signin.user.admin scope; without it the pages' logout still ends the
  // session the browser holds there), then the domain's /logout, which comes back to the sign-out URL.
  app.get("/logout", async (c) => {
    const found = tokenFrom(c, deps.cookieName);
    deleteCookie(c, deps.cookieName, { path: "/", httpOnly: true, sameSite: "Lax", secure: deps.secure });
    if (found.kind === "token") await deps.cognito.signOut(found.token);
    c.header("Cache-Control", "no-store");
    return c.redirect(hosted.logoutUrl(), 302);
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function encodeTransaction(t: HostedTransaction): string {
  return Buffer.from(JSON.stringify([t.verifier, t.state, t.nonce])).toString("base64url");
}

function decodeTransaction(value: string | undefined): HostedTransaction | undefined {
  if (!value || value.length > 1000) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((v) => typeof v === "string" && v !== ""))
      return undefined;
    const [verifier, state, nonce] = parsed as [string, string, string];
    return { verifier, state, nonce };
  } catch {
    return undefined;
  }
}

/** Cognito errors that mean "these credentials do not get you in": 401 rather than 400. */
const AUTH_FAILURES = new Set([
  "NotAuthorizedException",
  "UserNotFoundException",
  "UserNotConfirmedException",
  "PasswordResetRequiredException",
]);

// Cognito client errors are the caller's problem (400, or 401 for credentials on the sign-in
// routes, 429 for throttling); faults and unreachable Cognito are 502 with no details. A 401
// always carries WWW-Authenticate; `invalid_token` only where a token was what failed.
function failure(
  c: Context,
  error: CognitoFailure,
  opts: { unauthorized?: ReadonlySet<string>; tokenError?: boolean } = {},
) {
  const unauthorized = opts.unauthorized ?? new Set<string>();
  let status: Status;
  if (error.status >= 500 || error.type === "NetworkError" || error.type === "UnexpectedAnswer") {
    return c.json({ error: { type: "upstream_error", message: "The identity provider could not be reached" } }, 502);
  } else if (error.type === "TooManyRequestsException" || error.type === "LimitExceededException") status = 429;
  else if (unauthorized.has(error.type)) status = 401;
  else status = 400;
  if (status === 401) c.header("WWW-Authenticate", `${REALM}${opts.tokenError ? `, error="invalid_token"` : ""}`);
  return c.json({ error: { type: error.type, message: error.message } }, status);
}

function tokenBody(t: AuthTokens) {
  return {
    accessToken: t.accessToken,
    idToken: t.idToken,
    ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
    expiresIn: t.expiresIn,
    tokenType: t.tokenType,
  };
}

function usernameOf(found: ReturnType<typeof tokenFrom>): string | undefined {
  if (found.kind !== "token") return undefined;
  try {
    const u = decodeJwt(found.token).username;
    return typeof u === "string" ? u : undefined;
  } catch {
    return undefined;
  }
}

// Field names as the seed's curl sends them, plus their snake_case and a few common aliases.
const ALIASES: Record<string, readonly string[]> = {
  refreshToken: ["refreshToken", "refresh_token"],
  password: ["password", "newPassword", "new_password"],
  code: ["code", "confirmationCode", "confirmation_code"],
  previousPassword: ["previousPassword", "previous_password", "oldPassword", "old_password"],
  proposedPassword: ["proposedPassword", "proposed_password", "newPassword", "new_password"],
};

/** Reads a JSON or form body and returns the required (non-empty strings) and optional fields. */
async function fields<R extends string, O extends string = never>(
  c: Context,
  required: readonly R[],
  optional: readonly O[] = [],
): Promise<Record<R, string> & Partial<Record<O, string>>> {
  const body = await readBody(c);
  const out: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of [...required, ...optional]) {
    const value = (ALIASES[name] ?? [name]).map((k) => body[k]).find((v) => v !== undefined);
    if (value !== undefined && typeof value !== "string") throw new BadRequest(`Field ${name} must be a string`);
    if (value === undefined || value === "") {
      if ((required as readonly string[]).includes(name)) missing.push(name);
      continue;
    }
    out[name] = value;
  }
  if (missing.length > 0) throw new BadRequest(`Missing field${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`);
  return out as Record<R, string> & Partial<Record<O, string>>;
}

async function readBody(c: Context): Promise<Record<string, unknown>> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json" || type.endsWith("+json")) {
    let parsed: unknown;
    try {
      parsed = await c.req.json();
    } catch {
      throw new BadRequest("The body is not valid JSON");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
      throw new BadRequest("The JSON body must be an object");
    return parsed as Record<string, unknown>;
  }
  if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") {
    const form = await c.req.parseBody();
    return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, typeof v === "string" ? v : undefined]));
  }
  if (type === "") {
    // No body at all (e.g. `curl -X POST` for /logout) counts as no fields.
    const text = await c.req.text();
    if (text === "") return {};
  }
  throw new BadRequest("Send the body as application/json or application/x-www-form-urlencoded", 415);
}
