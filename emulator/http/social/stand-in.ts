// The built-in stand-ins of the four social providers, under /_social/<slug> with each provider's
// real paths (domain/federation/social.ts): the authorize page, the token endpoint, the keys and
// the profile calls, answering in each provider's documented shapes. Apps are the pools' identity
// providers of the type: a client_id no pool names is refused as the provider would, and the code
// exchange checks the client secret (Apple's: a JWT signed with the key the pool holds). Also the
// test control /_twin/social/<provider>/identities (docs/test-controls.md).
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import type { IdentityProviderType } from "@aws-sdk/client-cognito-identity-provider";
import { type Context, Hono } from "hono";
import { jwtVerify, SignJWT } from "jose";
import type { Clock } from "../../core/clock.js";
import type { Wire } from "../../core/wire.js";
import {
  APPLE_CLIENT_SECRET_AUDIENCE,
  applePrivateKey,
  FACEBOOK_API_VERSION,
  isSocialProviderType,
  SOCIAL_ISSUERS,
  SOCIAL_PROVIDER_TYPES,
  type SocialProviderType,
  STAND_IN_SLUGS,
} from "../../domain/federation/social.js";
import { newOpaque } from "../../services/ids.js";
import type { Store } from "../../store/store.js";
import {
  fullName,
  type IssuedCode,
  newIdentity,
  type PendingSignIn,
  privateRelayEmail,
  type SocialIdentity,
  StandInState,
} from "./identities.js";
import { FormPostPage, ProviderErrorPage, SignInPage } from "./page.js";

/** The stand-ins: their routes (mounted on the app) and the in-process door for the emulator's own calls. */
export interface SocialStandIns {
  /** Routes under /_social/* and /_twin/social/*. */
  readonly app: Hono;
  /** Answers a request to /_social/* without the network (Services.socialStandIn). */
  readonly fetch: (request: Request) => Promise<Response>;
  /** Empties the stand-ins (POST /_twin/reset). */
  clear(): void;
}

/** Builds the stand-ins over the pools in `store`, on `clock`. */
export function socialStandIns(store: Store, clock: Clock): SocialStandIns {
  const state = new StandInState(clock);
  const app = new Hono();
  const deps: Deps = { store, state };
  const base = (type: SocialProviderType) => `/_social/${STAND_IN_SLUGS[type]}`;

  // Google: accounts.google.com, www.googleapis.com, openidconnect and people.googleapis.com.
  const g = base("Google");
  app.get(`${g}/o/oauth2/v2/auth`, (c) => authorizeGet(c, deps, "Google"));
  app.post(`${g}/o/oauth2/v2/auth`, (c) => authorizePost(c, deps, "Google"));
  app.post(`${g}/oauth2/v4/token`, (c) => tokenPost(c, deps, "Google"));
  app.post(`${g}/token`, (c) => tokenPost(c, deps, "Google"));
  app.get(`${g}/oauth2/v3/certs`, async (c) => c.json({ keys: [(await state.key("Google")).publicJwk] }));
  app.get(`${g}/v1/userinfo`, (c) => googleUserinfo(c, deps));
  app.get(`${g}/oauth2/v3/userinfo`, (c) => googleUserinfo(c, deps));
  app.get(`${g}/v1/people/me`, (c) => googlePeople(c, deps));
  app.get(`${g}/.well-known/openid-configuration`, (c) => c.json(discovery(c, "Google")));

  // Facebook: www.facebook.com/<version>/dialog/oauth, graph.facebook.com/<version>/...
  const f = base("Facebook");
  app.get(`${f}/:version/dialog/oauth`, (c) => versioned(c, () => authorizeGet(c, deps, "Facebook")));
  app.post(`${f}/:version/dialog/oauth`, (c) => versioned(c, () => authorizePost(c, deps, "Facebook")));
  app.get(`${f}/:version/oauth/access_token`, (c) => versioned(c, () => facebookToken(c, deps)));
  app.get(`${f}/:version/me`, (c) => versioned(c, () => facebookMe(c, deps)));
  // Without an api_version, Cognito calls the unversioned paths.
  app.get(`${f}/dialog/oauth`, (c) => authorizeGet(c, deps, "Facebook"));
  app.post(`${f}/dialog/oauth`, (c) => authorizePost(c, deps, "Facebook"));
  app.get(`${f}/oauth/access_token`, (c) => facebookToken(c, deps));
  app.get(`${f}/me`, (c) => facebookMe(c, deps));

  // Login with Amazon: www.amazon.com/ap/oa, api.amazon.com/auth/o2/token and /user/profile.
  const a = base("LoginWithAmazon");
  app.get(`${a}/ap/oa`, (c) => authorizeGet(c, deps, "LoginWithAmazon"));
  app.post(`${a}/ap/oa`, (c) => authorizePost(c, deps, "LoginWithAmazon"));
  app.post(`${a}/auth/o2/token`, (c) => tokenPost(c, deps, "LoginWithAmazon"));
  app.get(`${a}/user/profile`, (c) => amazonProfile(c, deps));

  // Sign in with Apple: appleid.apple.com.
  const s = base("SignInWithApple");
  app.get(`${s}/auth/authorize`, (c) => authorizeGet(c, deps, "SignInWithApple"));
  app.post(`${s}/auth/authorize`, (c) => authorizePost(c, deps, "SignInWithApple"));
  app.post(`${s}/auth/token`, (c) => tokenPost(c, deps, "SignInWithApple"));
  app.get(`${s}/auth/keys`, async (c) => c.json({ keys: [(await state.key("SignInWithApple")).publicJwk] }));
  app.get(`${s}/.well-known/openid-configuration`, (c) => c.json(discovery(c, "SignInWithApple")));

  app.all("/_social/*", (c) =>
    c.json({ error: "not_found", error_description: "No such endpoint at this stand-in." }, 404),
  );

  // Test controls: the identities a provider knows, without its page.
  app.get("/_twin/social/:provider/identities", (c) => {
    const type = providerParam(c.req.param("provider"));
    if (!type) return unknownProvider(c);
    return c.json({ identities: state.list(type).map((i) => identityJson(type, i)) });
  });
  app.post("/_twin/social/:provider/identities", (c) => registerIdentity(c, deps));
  app.delete("/_twin/social/:provider/identities", (c) => {
    const type = providerParam(c.req.param("provider"));
    if (!type) return unknownProvider(c);
    return c.json({ identities: [], deleted: state.forget(type) });
  });

  return {
    app,
    fetch: async (request) => app.fetch(request),
    clear: () => state.clear(),
  };
}

interface Deps {
  readonly store: Store;
  readonly state: StandInState;
}

const nowSeconds = (deps: Deps) => Math.floor(deps.state.clock.now() / 1000);

/** A Graph API version segment that is not one: Facebook's answer. */
async function versioned(c: Context, next: () => Promise<Response> | Response): Promise<Response> {
  if (FACEBOOK_API_VERSION.test(c.req.param("version") ?? "")) return next();
  return graphError(c, 400, `Unknown path components: /${c.req.param("version") ?? ""}`, 2500);
}

// --- Apps: the pools' identity providers of the type ------------------------------------------

/** Every pool's provider of this type with this client_id. */
function appsFor(store: Store, type: SocialProviderType, clientId: string): App[] {
  const found: App[] = [];
  if (clientId === "") return found;
  for (const pool of store.listPools()) {
    for (const record of Object.values(pool.identityProviders ?? {})) {
      const p = record.provider as Wire<IdentityProviderType>;
      if (p.ProviderType === type && p.ProviderDetails?.client_id === clientId)
        found.push({ details: p.ProviderDetails, privateKey: record.secrets?.private_key });
    }
  }
  return found;
}

/** An app at the provider: its ProviderDetails, and Apple's private key (kept, never described). */
interface App {
  readonly details: Readonly<Record<string, string>>;
  readonly privateKey?: string | undefined;
}

// --- Authorize: the page ------------------------------------------------------------------------

function pageHeaders(c: Context, scriptNonce?: string): void {
  c.header("Cache-Control", "no-store");
  c.header("X-Frame-Options", "DENY");
  c.header("X-Content-Type-Options", "nosniff");
  c.header(
    "Content-Security-Policy",
    `default-src 'none'; style-src 'unsafe-inline'; ${scriptNonce ? `script-src 'nonce-${scriptNonce}'; ` : ""}frame-ancestors 'none'; base-uri 'none'`,
  );
}

async function html(c: Context, element: unknown, status: 200 | 400 | 401 | 404 = 200, scriptNonce?: string) {
  pageHeaders(c, scriptNonce);
  return c.html(element as string | Promise<string>, status);
}

function errorPage(c: Context, type: SocialProviderType, error: string, description: string, status: 400 | 401 = 400) {
  return html(c, ProviderErrorPage({ type, error, description }), status);
}

/** Scopes as each provider separates them: Facebook by commas, the others by spaces. */
function scopesOf(text: string | undefined): string[] {
  return (text ?? "")
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** An absolute http(s) URL without a fragment, or undefined. */
function redirectTarget(text: string | undefined): URL | undefined {
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hash === "" ? url : undefined;
  } catch {
    return undefined;
  }
}

async function authorizeGet(c: Context, deps: Deps, type: SocialProviderType): Promise<Response> {
  const q = new URL(c.req.url).searchParams;
  const clientId = q.get("client_id") ?? "";
  if (appsFor(deps.store, type, clientId).length === 0) {
    const words: Record<SocialProviderType, [string, string]> = {
      Google: ["Error 401: invalid_client", "The OAuth client was not found."],
      Facebook: ["Invalid App ID", "The provided app ID does not look like a valid app ID."],
      LoginWithAmazon: [
        "An unknown client_id was provided.",
        "No Login with Amazon security profile has this client_id.",
      ],
      SignInWithApple: ["invalid_client", "No Services ID has this client_id."],
    };
    const [error, description] = words[type];
    return errorPage(
      c,
      type,
      error,
      `${description} The stand-in knows the apps of the pools' ${type} identity providers (ProviderDetails client_id).`,
      401,
    );
  }
  const redirect = redirectTarget(q.get("redirect_uri") ?? undefined);
  if (!redirect)
    return errorPage(c, type, "invalid_request", "The redirect_uri is missing or is not an absolute http(s) URL.");
  const state = q.get("state") ?? undefined;
  const responseType = (q.get("response_type") ?? "").split(" ").sort().join(" ");
  const allowed = type === "SignInWithApple" ? ["code", "code id_token"] : ["code"];
  const scopes = scopesOf(q.get("scope") ?? undefined);
  const responseMode = q.get("response_mode") === "form_post" ? "form_post" : "query";
  const back = (error: string, description: string) =>
    redirectBack(
      c,
      { redirectUri: redirect.toString(), state, responseMode, type },
      { error, error_description: description },
    );
  if (!allowed.includes(responseType))
    return back("unsupported_response_type", `response_type must be ${allowed.join(" or ")}.`);
  if (type === "SignInWithApple" && scopes.length > 0 && responseMode !== "form_post")
    return errorPage(
      c,
      type,
      "invalid_request",
      "response_mode must be form_post when the name or email scope is requested.",
    );
  if (type === "LoginWithAmazon" && scopes.length === 0) return back("invalid_scope", "An unknown scope was requested");
  if (type === "Google" && scopes.length === 0)
    return errorPage(c, type, "Error 400: invalid_request", "Missing required parameter: scope");
  const pending = deps.state.startPending({
    type,
    clientId,
    redirectUri: redirect.toString(),
    state,
    scopes,
    nonce: q.get("nonce") ?? undefined,
    responseMode,
    responseType,
  });
  const auto = deps.state.autoSignIn(type);
  if (auto) {
    deps.state.takePending(type, pending.id);
    return signedIn(c, deps, pending, auto);
  }
  return showPage(c, deps, pending);
}

function showPage(
  c: Context,
  deps: Deps,
  pending: PendingSignIn,
  error?: string,
  values?: Record<string, string>,
  status: 200 | 400 = 200,
): Promise<Response> {
  return html(
    c,
    SignInPage({
      type: pending.type,
      action: new URL(c.req.url).pathname,
      pending: pending.id,
      clientId: pending.clientId,
      scopes: pending.scopes,
      identities: deps.state.list(pending.type),
      error,
      values,
    }),
    status,
  );
}

async function authorizePost(c: Context, deps: Deps, type: SocialProviderType): Promise<Response> {
  const form = await formOf(c);
  const pending = form ? deps.state.takePending(type, form.get("pending") ?? "") : undefined;
  if (!form || !pending)
    return errorPage(
      c,
      type,
      "invalid_request",
      "This sign-in has expired or was already answered. Start again from the app.",
    );
  const choice = form.get("choice");
  if (choice === "refuse") return refused(c, pending);
  if (choice === "pick") {
    const identity = deps.state.identity(type, form.get("sub") ?? "");
    if (identity) return signedIn(c, deps, pending, identity);
    return again(c, deps, pending, "That account is no longer known here. Choose another or enter one.");
  }
  const email = (form.get("email") ?? "").trim();
  const values = {
    email,
    given_name: form.get("given_name") ?? "",
    family_name: form.get("family_name") ?? "",
    postal_code: form.get("postal_code") ?? "",
  };
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
    return again(c, deps, pending, "Enter an email address, like ann@example.com.", values);
  const known = deps.state.list(type).find((i) => i.email.toLowerCase() === email.toLowerCase());
  const identity = newIdentity(type, {
    email,
    givenName: values.given_name,
    familyName: values.family_name,
    ...(known ? { sub: known.sub } : {}),
    emailVerified: type === "Google" ? form.get("email_verified") === "true" : true,
    postalCode: values.postal_code || undefined,
    privateEmail: form.get("private_email") === "true",
  });
  return signedIn(c, deps, pending, identity);
}

/** A page answer that is not the last: the sign-in goes on under a fresh id. */
function again(c: Context, deps: Deps, pending: PendingSignIn, error: string, values?: Record<string, string>) {
  const { id: _id, expiresAt: _e, ...rest } = pending;
  return showPage(c, deps, deps.state.startPending(rest), error, values, 400);
}

/** The user cancelled: each provider's words for it, back to the app. */
function refused(c: Context, pending: PendingSignIn): Response | Promise<Response> {
  const words: Record<SocialProviderType, Record<string, string>> = {
    Google: { error: "access_denied" },
    Facebook: {
      error: "access_denied",
      error_code: "200",
      error_description: "Permissions error",
      error_reason: "user_denied",
    },
    LoginWithAmazon: { error: "access_denied", error_description: "The user has denied the requested scope" },
    SignInWithApple: { error: "user_cancelled_authorize" },
  };
  return redirectBack(c, pending, words[pending.type]);
}

/** The user signed in: a code back to the app (Apple: by form post, with the name the first time). */
async function signedIn(c: Context, deps: Deps, pending: PendingSignIn, identity: SocialIdentity): Promise<Response> {
  deps.state.remember(pending.type, identity);
  const authTime = nowSeconds(deps);
  const code = deps.state.issueCode({
    type: pending.type,
    clientId: pending.clientId,
    redirectUri: pending.redirectUri,
    sub: identity.sub,
    scopes: pending.scopes,
    nonce: pending.nonce,
    authTime,
  });
  const fields: Record<string, string> = { code };
  if (pending.type === "SignInWithApple") {
    if (pending.responseType === "code id_token")
      fields.id_token = await appleIdToken(deps, identity, pending.clientId, pending.scopes, authTime, pending.nonce, {
        c_hash: halfHash(code),
      });
    if (deps.state.firstAppleSignIn(pending.clientId, identity.sub)) {
      const user: Record<string, unknown> = {};
      if (pending.scopes.includes("name")) user.name = { firstName: identity.givenName, lastName: identity.familyName };
      if (pending.scopes.includes("email")) user.email = appleEmail(identity);
      if (Object.keys(user).length > 0) fields.user = JSON.stringify(user);
    }
  }
  return redirectBack(c, pending, fields);
}

/** Sends the browser back to the app: a redirect with the query, or Apple's form post. */
function redirectBack(
  c: Context,
  target: Pick<PendingSignIn, "redirectUri" | "state" | "responseMode" | "type">,
  fields: Record<string, string>,
): Response | Promise<Response> {
  const all = { ...fields, ...(target.state !== undefined ? { state: target.state } : {}) };
  if (target.responseMode === "form_post") {
    const nonce = newOpaque(16);
    return html(c, FormPostPage({ type: target.type, action: target.redirectUri, fields: all, nonce }), 200, nonce);
  }
  const url = new URL(target.redirectUri);
  for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
  c.header("Cache-Control", "no-store");
  return c.redirect(url.toString(), 302);
}

// --- Tokens -------------------------------------------------------------------------------------

async function formOf(c: Context): Promise<URLSearchParams | undefined> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return undefined;
  try {
    return new URLSearchParams(await c.req.text());
  } catch {
    return undefined;
  }
}

/** client_id and client_secret from the form or HTTP Basic. */
function clientCredentials(c: Context, form: URLSearchParams): { id: string; secret: string } {
  const auth = c.req.header("authorization") ?? "";
  if (/^basic /i.test(auth)) {
    try {
      const text = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
      const colon = text.indexOf(":");
      if (colon > 0)
        return { id: decodeURIComponent(text.slice(0, colon)), secret: decodeURIComponent(text.slice(colon + 1)) };
    } catch {
      // A malformed header authenticates nobody; the form's fields are read instead.
    }
  }
  return { id: form.get("client_id") ?? "", secret: form.get("client_secret") ?? "" };
}

/** Each provider's refusal of a token request, in its body shape. */
function tokenError(c: Context, type: SocialProviderType, error: string, description: string, status: 400 | 401 = 400) {
  switch (type) {
    case "Google":
      return c.json({ error, error_description: description }, status);
    case "LoginWithAmazon":
      return c.json({ error_description: description, error }, status);
    case "SignInWithApple":
      return c.json({ error }, status === 401 ? 400 : status);
    case "Facebook":
      return graphError(c, 400, description, 100);
  }
}

function graphError(c: Context, status: 400 | 401, message: string, code: number) {
  return c.json({ error: { message, type: "OAuthException", code, fbtrace_id: newOpaque(8) } }, status);
}

/** Checks the client's secret against the apps with its client_id: the secret, or Apple's JWT. */
async function clientAuthenticated(deps: Deps, type: SocialProviderType, id: string, secret: string): Promise<boolean> {
  const apps = appsFor(deps.store, type, id);
  if (type !== "SignInWithApple") return apps.some((p) => (p.details.client_secret ?? "") === secret && secret !== "");
  for (const p of apps) {
    const key = applePublicKey(p.privateKey);
    if (!key) continue;
    try {
      await jwtVerify(secret, key, {
        algorithms: ["ES256"],
        issuer: p.details.team_id ?? "",
        subject: id,
        audience: APPLE_CLIENT_SECRET_AUDIENCE,
        currentDate: new Date(deps.state.clock.now()),
        requiredClaims: ["iat", "exp"],
      });
      return true;
    } catch {
      // Signed with another key, or expired: the next app with this client_id may match.
    }
  }
  return false;
}

function applePublicKey(privateKey: string | undefined): KeyObject | undefined {
  if (!privateKey) return undefined;
  try {
    return createPublicKey(applePrivateKey(privateKey));
  } catch {
    return undefined;
  }
}

/** Redeems a code for the client: the grant, or why not (in the provider's words). */
function redeem(
  deps: Deps,
  type: SocialProviderType,
  code: string,
  clientId: string,
  redirectUri: string | undefined,
): IssuedCode | { error: string; description: string } {
  const grant = deps.state.redeemCode(type, code);
  if (!grant || grant.clientId !== clientId)
    return {
      error: "invalid_grant",
      description:
        type === "Facebook"
          ? "This authorization code has been used."
          : type === "LoginWithAmazon"
            ? "The request has an invalid grant parameter : code"
            : "Bad Request",
    };
  if (redirectUri !== grant.redirectUri)
    return {
      error: type === "Google" ? "redirect_uri_mismatch" : "invalid_grant",
      description:
        type === "Facebook"
          ? "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request"
          : "Bad Request",
    };
  return grant;
}

async function tokenPost(c: Context, deps: Deps, type: SocialProviderType): Promise<Response> {
  const form = await formOf(c);
  if (!form) return tokenError(c, type, "invalid_request", "The body must be application/x-www-form-urlencoded.");
  const grantType = form.get("grant_type");
  if (grantType !== "authorization_code")
    return tokenError(c, type, "unsupported_grant_type", `Invalid grant_type: ${grantType ?? ""}`);
  const client = clientCredentials(c, form);
  if (!(await clientAuthenticated(deps, type, client.id, client.secret)))
    return tokenError(
      c,
      type,
      "invalid_client",
      type === "Google" ? "Unauthorized" : "Client authentication failed",
      401,
    );
  const grant = redeem(deps, type, form.get("code") ?? "", client.id, form.get("redirect_uri") ?? undefined);
  if ("error" in grant) return tokenError(c, type, grant.error, grant.description);
  const identity = deps.state.identity(type, grant.sub);
  if (!identity) return tokenError(c, type, "invalid_grant", "Bad Request");
  const access = deps.state.issueAccessToken({ type, clientId: client.id, sub: grant.sub, scopes: grant.scopes });
  switch (type) {
    case "Google": {
      const scope = grant.scopes
        .map((s) => (s === "email" || s === "profile" ? `https://www.googleapis.com/auth/userinfo.${s}` : s))
        .join(" ");
      return c.json({
        access_token: access.token,
        expires_in: access.expiresIn - 1,
        scope,
        token_type: "Bearer",
        ...(grant.scopes.includes("openid")
          ? { id_token: await googleIdToken(deps, identity, grant, access.token) }
          : {}),
      });
    }
    case "SignInWithApple":
      return c.json({
        access_token: access.token,
        token_type: "Bearer",
        expires_in: access.expiresIn,
        refresh_token: `r${newOpaque(32)}`,
        id_token: await appleIdToken(deps, identity, client.id, grant.scopes, grant.authTime, grant.nonce, {
          at_hash: halfHash(access.token),
        }),
      });
    case "LoginWithAmazon":
      return c.json({
        access_token: access.token,
        refresh_token: `Atzr|${newOpaque(180)}`,
        token_type: "bearer",
        expires_in: access.expiresIn,
      });
    case "Facebook":
      return c.json({ access_token: access.token, token_type: "bearer", expires_in: access.expiresIn });
  }
}

/** Facebook's code exchange: a GET with the app's id and secret in the query. */
async function facebookToken(c: Context, deps: Deps): Promise<Response> {
  const q = new URL(c.req.url).searchParams;
  const clientId = q.get("client_id") ?? "";
  const apps = appsFor(deps.store, "Facebook", clientId);
  if (apps.length === 0) return graphError(c, 400, "Error validating application. Invalid application ID.", 101);
  if (!(await clientAuthenticated(deps, "Facebook", clientId, q.get("client_secret") ?? "")))
    return graphError(c, 400, "Error validating client secret.", 1);
  const code = q.get("code") ?? "";
  if (code === "") return graphError(c, 400, "Missing authorization code", 1);
  const grant = redeem(deps, "Facebook", code, clientId, q.get("redirect_uri") ?? undefined);
  if ("error" in grant) return graphError(c, 400, grant.description, 100);
  const access = deps.state.issueAccessToken({ type: "Facebook", clientId, sub: grant.sub, scopes: grant.scopes });
  return c.json({ access_token: access.token, token_type: "bearer", expires_in: access.expiresIn });
}

/** Base64url of the left half of the SHA-256 of a value (`at_hash`, `c_hash`). */
function halfHash(value: string): string {
  const d = createHash("sha256").update(value).digest();
  return d.subarray(0, d.length / 2).toString("base64url");
}

async function sign(deps: Deps, type: SocialProviderType, claims: Record<string, unknown>): Promise<string> {
  const key = await deps.state.key(type);
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" }).sign(key.privateKey);
}

/** Google's id token: its documented claims, `email*` with the email scope, names with profile. */
async function googleIdToken(deps: Deps, identity: SocialIdentity, grant: IssuedCode, accessToken: string) {
  const iat = nowSeconds(deps);
  return sign(deps, "Google", {
    iss: SOCIAL_ISSUERS.Google,
    azp: grant.clientId,
    aud: grant.clientId,
    sub: identity.sub,
    ...(identity.hostedDomain ? { hd: identity.hostedDomain } : {}),
    ...(grant.scopes.includes("email") ? { email: identity.email, email_verified: identity.emailVerified } : {}),
    at_hash: halfHash(accessToken),
    ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
    ...(grant.scopes.includes("profile") ? googleProfileClaims(identity) : {}),
    ...(identity.extra ?? {}),
    iat,
    exp: iat + 3600,
  });
}

function googleProfileClaims(identity: SocialIdentity): Record<string, unknown> {
  const name = fullName(identity);
  return {
    ...(name ? { name } : {}),
    ...(identity.picture ? { picture: identity.picture } : {}),
    ...(identity.givenName ? { given_name: identity.givenName } : {}),
    ...(identity.familyName ? { family_name: identity.familyName } : {}),
  };
}

function appleEmail(identity: SocialIdentity): string {
  return identity.privateEmail ? privateRelayEmail(identity.sub) : identity.email;
}

/** Apple's id token: no name ever (that comes in the form's `user` field), the email with that scope. */
async function appleIdToken(
  deps: Deps,
  identity: SocialIdentity,
  clientId: string,
  scopes: readonly string[],
  authTime: number,
  nonce: string | undefined,
  hashes: Record<string, string>,
) {
  const iat = nowSeconds(deps);
  return sign(deps, "SignInWithApple", {
    iss: SOCIAL_ISSUERS.SignInWithApple,
    aud: clientId,
    exp: iat + 86400,
    iat,
    sub: identity.sub,
    ...(nonce !== undefined ? { nonce } : {}),
    ...hashes,
    ...(scopes.includes("email")
      ? {
          email: appleEmail(identity),
          email_verified: identity.emailVerified,
          is_private_email: identity.privateEmail === true,
        }
      : {}),
    ...(identity.extra ?? {}),
    auth_time: authTime,
    nonce_supported: true,
  });
}

// --- Profiles -------------------------------------------------------------------------------------

/** The access token of a profile call: `Authorization: Bearer` (or OAuth), or `access_token` in the query. */
function bearerOf(c: Context): string {
  const auth = c.req.header("authorization") ?? "";
  const m = /^(?:bearer|oauth)\s+(\S+)$/i.exec(auth.trim());
  return m ? m[1]! : (new URL(c.req.url).searchParams.get("access_token") ?? "");
}

function grantOf(c: Context, deps: Deps, type: SocialProviderType) {
  const token = deps.state.accessToken(type, bearerOf(c));
  const identity = token ? deps.state.identity(type, token.sub) : undefined;
  return token && identity ? { token, identity } : undefined;
}

function googleUserinfo(c: Context, deps: Deps): Response {
  const found = grantOf(c, deps, "Google");
  if (!found) return c.json({ error: "invalid_request", error_description: "Invalid Credentials" }, 401);
  const { token, identity } = found;
  return c.json({
    sub: identity.sub,
    ...(token.scopes.includes("profile") ? googleProfileClaims(identity) : {}),
    ...(token.scopes.includes("email") ? { email: identity.email, email_verified: identity.emailVerified } : {}),
    ...(identity.hostedDomain ? { hd: identity.hostedDomain } : {}),
  });
}

/** The People API's fields the stand-in can answer from an identity (others from `extra`). */
function personFields(identity: SocialIdentity, scopes: readonly string[]): Record<string, unknown> {
  const source = { type: "PROFILE", id: identity.sub };
  const name = fullName(identity);
  return {
    ...(scopes.includes("profile") && name
      ? {
          names: [
            {
              metadata: { primary: true, source },
              displayName: name,
              familyName: identity.familyName,
              givenName: identity.givenName,
              displayNameLastFirst: [identity.familyName, identity.givenName].filter(Boolean).join(", "),
              unstructuredName: name,
            },
          ],
        }
      : {}),
    ...(scopes.includes("email")
      ? {
          emailAddresses: [
            {
              metadata: {
                primary: true,
                verified: identity.emailVerified,
                source: { type: "ACCOUNT", id: identity.sub },
              },
              value: identity.email,
            },
          ],
        }
      : {}),
    ...(identity.picture
      ? { photos: [{ metadata: { primary: true, source }, url: identity.picture, default: true }] }
      : {}),
  };
}

const PERSON_FIELDS = new Set([
  "addresses",
  "ageRanges",
  "biographies",
  "birthdays",
  "calendarUrls",
  "clientData",
  "coverPhotos",
  "emailAddresses",
  "events",
  "externalIds",
  "genders",
  "imClients",
  "interests",
  "locales",
  "locations",
  "memberships",
  "metadata",
  "miscKeywords",
  "names",
  "nicknames",
  "occupations",
  "organizations",
  "phoneNumbers",
  "photos",
  "relations",
  "sipAddresses",
  "skills",
  "urls",
  "userDefined",
]);

function googlePeople(c: Context, deps: Deps): Response {
  const found = grantOf(c, deps, "Google");
  const googleError = (code: number, message: string, status: string) =>
    c.json({ error: { code, message, status } }, code as 400 | 401);
  if (!found)
    return googleError(
      401,
      "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
      "UNAUTHENTICATED",
    );
  const requested = scopesOf((new URL(c.req.url).searchParams.get("personFields") ?? "").replaceAll(",", " "));
  if (requested.length === 0)
    return googleError(
      400,
      "personFields mask is required. Please specify one or more valid paths. Valid paths are documented at https://developers.google.com/people/api/rest/v1/people/get.",
      "INVALID_ARGUMENT",
    );
  const bad = requested.find((f) => !PERSON_FIELDS.has(f));
  if (bad)
    return googleError(
      400,
      `Invalid personFields mask path: "${bad}". Valid paths are documented at https://developers.google.com/people/api/rest/v1/people/get.`,
      "INVALID_ARGUMENT",
    );
  const all: Record<string, unknown> = {
    ...personFields(found.identity, found.token.scopes),
    ...(found.identity.extra ?? {}),
  };
  const body: Record<string, unknown> = { resourceName: `people/${found.identity.sub}`, etag: `%${newOpaque(12)}` };
  for (const f of requested) if (all[f] !== undefined) body[f] = all[f];
  return c.json(body);
}

/** The Graph API's `/me`: only the fields asked for (`id,name` when none are), `email` with that permission. */
function facebookMe(c: Context, deps: Deps): Response {
  const found = grantOf(c, deps, "Facebook");
  if (!found) return graphError(c, 400, "Invalid OAuth access token - Cannot parse access token", 190);
  const { token, identity } = found;
  const requested = scopesOf((new URL(c.req.url).searchParams.get("fields") ?? "id,name").replaceAll(",", " "));
  const name = fullName(identity);
  const fields: Record<string, unknown> = {
    id: identity.sub,
    name,
    first_name: identity.givenName,
    last_name: identity.familyName,
    short_name: identity.givenName || name,
    name_format: "{first} {last}",
    ...(token.scopes.includes("email") ? { email: identity.email } : {}),
    picture: { data: { height: 50, is_silhouette: false, url: identity.picture ?? "", width: 50 } },
    ...(identity.extra ?? {}),
  };
  const known = new Set([...Object.keys(fields), "email", "middle_name", "birthday", "gender", "link", "locale"]);
  const bad = requested.find((f) => !known.has(f));
  if (bad) return graphError(c, 400, `(#100) Tried accessing nonexisting field (${bad}) on node type (User)`, 100);
  const body: Record<string, unknown> = {};
  for (const f of requested) if (fields[f] !== undefined) body[f] = fields[f];
  if (body.id === undefined) body.id = identity.sub;
  return c.json(body);
}

/** Amazon's customer profile: `user_id` always, name and email with `profile`, `postal_code` with its scope. */
function amazonProfile(c: Context, deps: Deps): Response {
  const found = grantOf(c, deps, "LoginWithAmazon");
  if (!found)
    return c.json(
      { error: "invalid_token", error_description: "The request has an invalid parameter : access_token" },
      401,
    );
  const { token, identity } = found;
  return c.json({
    user_id: identity.sub,
    ...(token.scopes.includes("profile") ? { name: fullName(identity), email: identity.email } : {}),
    ...(token.scopes.includes("postal_code") && identity.postalCode ? { postal_code: identity.postalCode } : {}),
    ...(identity.extra ?? {}),
  });
}

/** The discovery document of Google's and Apple's stand-ins: their real issuer, the local endpoints. */
function discovery(c: Context, type: "Google" | "SignInWithApple"): Record<string, unknown> {
  const url = new URL(c.req.url);
  const host = c.req.header("host");
  const root = `${host ? `${url.protocol}//${host}` : url.origin}/_social/${STAND_IN_SLUGS[type]}`;
  if (type === "Google")
    return {
      issuer: SOCIAL_ISSUERS.Google,
      authorization_endpoint: `${root}/o/oauth2/v2/auth`,
      token_endpoint: `${root}/token`,
      userinfo_endpoint: `${root}/v1/userinfo`,
      jwks_uri: `${root}/oauth2/v3/certs`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "email", "profile"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      claims_supported: [
        "aud",
        "email",
        "email_verified",
        "exp",
        "family_name",
        "given_name",
        "iat",
        "iss",
        "name",
        "picture",
        "sub",
      ],
    };
  return {
    issuer: SOCIAL_ISSUERS.SignInWithApple,
    authorization_endpoint: `${root}/auth/authorize`,
    token_endpoint: `${root}/auth/token`,
    jwks_uri: `${root}/auth/keys`,
    response_types_supported: ["code", "code id_token"],
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid", "email", "name"],
    token_endpoint_auth_methods_supported: ["client_secret_post"],
    claims_supported: [
      "aud",
      "email",
      "email_verified",
      "exp",
      "iat",
      "is_private_email",
      "iss",
      "nonce",
      "nonce_supported",
      "real_user_status",
      "sub",
      "transfer_sub",
    ],
  };
}

// --- The test control ---------------------------------------------------------------------------

/** `google`, `Google`, `amazon`, `LoginWithAmazon`... as the ProviderType. */
function providerParam(text: string | undefined): SocialProviderType | undefined {
  const lower = (text ?? "").toLowerCase();
  for (const type of SOCIAL_PROVIDER_TYPES)
    if (type.toLowerCase() === lower || STAND_IN_SLUGS[type] === lower) return type;
  return isSocialProviderType(text) ? text : undefined;
}

function unknownProvider(c: Context): Response {
  return c.json(
    {
      message:
        "The provider must be one of google, facebook, amazon, apple (or Google, Facebook, LoginWithAmazon, SignInWithApple).",
    },
    404,
  );
}

/** An identity as the test control shows it: its fields and what the provider tells apps. */
function identityJson(type: SocialProviderType, i: SocialIdentity): Record<string, unknown> {
  return {
    sub: i.sub,
    email: i.email,
    givenName: i.givenName,
    familyName: i.familyName,
    name: fullName(i),
    emailVerified: i.emailVerified,
    ...(i.picture ? { picture: i.picture } : {}),
    ...(i.hostedDomain ? { hostedDomain: i.hostedDomain } : {}),
    ...(i.postalCode ? { postalCode: i.postalCode } : {}),
    ...(type === "SignInWithApple"
      ? { privateEmail: i.privateEmail === true, ...(i.privateEmail ? { relayEmail: privateRelayEmail(i.sub) } : {}) }
      : {}),
    ...(i.extra ? { claims: i.extra } : {}),
  };
}

const IDENTITY_USAGE =
  'Body must be JSON like {"email": "ann@example.com", "givenName": "Ann", "familyName": "Lee"} (optional: name, sub, emailVerified, picture, hostedDomain, postalCode, privateEmail, claims, autoSignIn)';

async function registerIdentity(c: Context, deps: Deps): Promise<Response> {
  const type = providerParam(c.req.param("provider"));
  if (!type) return unknownProvider(c);
  let body: Record<string, unknown>;
  try {
    body = (await c.req.json()) as Record<string, unknown>;
  } catch {
    return c.json({ message: IDENTITY_USAGE }, 400);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return c.json({ message: IDENTITY_USAGE }, 400);
  for (const key of ["email", "givenName", "familyName", "name", "sub", "picture", "hostedDomain", "postalCode"])
    if (body[key] !== undefined && typeof body[key] !== "string")
      return c.json({ message: `${key} must be a string. ${IDENTITY_USAGE}` }, 400);
  for (const key of ["emailVerified", "privateEmail", "autoSignIn"])
    if (body[key] !== undefined && typeof body[key] !== "boolean")
      return c.json({ message: `${key} must be true or false. ${IDENTITY_USAGE}` }, 400);
  const claims = body.claims;
  if (claims !== undefined && (claims === null || typeof claims !== "object" || Array.isArray(claims)))
    return c.json({ message: `claims must be an object. ${IDENTITY_USAGE}` }, 400);
  const str = (key: string) => body[key] as string | undefined;
  const email = str("email")?.trim() ?? "";
  if (!/^[^\s@]+@[^\s@]+$/.test(email))
    return c.json({ message: `email must be an email address. ${IDENTITY_USAGE}` }, 400);
  const [first = "", ...rest] = (str("name") ?? "").trim().split(/\s+/);
  const sub = str("sub");
  if (sub !== undefined && !/^[\x21-\x7e]{1,128}$/.test(sub))
    return c.json({ message: "sub must be 1 to 128 printable ASCII characters without spaces." }, 400);
  const identity = newIdentity(type, {
    email,
    givenName: str("givenName") ?? first,
    familyName: str("familyName") ?? rest.join(" "),
    sub,
    emailVerified: body.emailVerified as boolean | undefined,
    picture: str("picture"),
    hostedDomain: str("hostedDomain"),
    postalCode: str("postalCode"),
    privateEmail: body.privateEmail as boolean | undefined,
    extra: claims as Record<string, unknown> | undefined,
  });
  deps.state.remember(type, identity);
  if (body.autoSignIn === true) deps.state.setAutoSignIn(type, identity.sub);
  else if (body.autoSignIn === false && deps.state.autoSignIn(type)?.sub === identity.sub)
    deps.state.setAutoSignIn(type, undefined);
  return c.json(
    { identity: identityJson(type, identity), autoSignIn: deps.state.autoSignIn(type)?.sub === identity.sub },
    201,
  );
}
