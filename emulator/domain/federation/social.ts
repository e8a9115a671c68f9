// The social identity providers Cognito federates with: Google, Facebook, Login with Amazon and
// Sign in with Apple. Their fixed public endpoints (as DescribeIdentityProvider echoes them), where
// each is reached offline (the built-in stand-in under /_social/<slug>, or the team's own mock
// named with --social-upstream), and the relying party's side of each flow: the authorize
// redirect, the code exchange (Apple's client secret a JWT signed with the team's key), the id
// token's check, and where each provider's attributes are read (docs/federation.md).
import { createPrivateKey, type KeyObject } from "node:crypto";
import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { OperationContext, Services } from "../../context.js";
import type { UpstreamFlow } from "../../services/oauth-sessions.js";
import type { FederationProvider, UpstreamIdentity, UpstreamRaw } from "./contract.js";
import {
  oauthResponseUrl,
  providerName,
  type UpstreamDraft,
  UpstreamError,
  type UpstreamProtocol,
  type UpstreamStart,
} from "./upstream.js";

/** The ProviderTypes of the social providers. */
export const SOCIAL_PROVIDER_TYPES = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple"] as const;
export type SocialProviderType = (typeof SOCIAL_PROVIDER_TYPES)[number];

export function isSocialProviderType(type: string | undefined): type is SocialProviderType {
  return (SOCIAL_PROVIDER_TYPES as readonly (string | undefined)[]).includes(type);
}

/** Where each built-in stand-in answers on the emulator: `/_social/<slug>` plus the real path. */
export const STAND_IN_SLUGS: Readonly<Record<SocialProviderType, string>> = {
  Google: "google",
  Facebook: "facebook",
  LoginWithAmazon: "amazon",
  SignInWithApple: "apple",
};

/** What a Graph API version looks like in a path. */
export const FACEBOOK_API_VERSION = /^v\d{1,2}\.\d{1,2}$/;

/** The issuers of the providers whose sign-in yields an id token. */
export const SOCIAL_ISSUERS = { Google: "https://accounts.google.com", SignInWithApple: "https://appleid.apple.com" };
/** Apple's client secret is a JWT for this audience. */
export const APPLE_CLIENT_SECRET_AUDIENCE = "https://appleid.apple.com";

/** One provider's endpoints, as the relying party calls them. */
export interface SocialEndpoints {
  readonly type: SocialProviderType;
  /** Where the browser is sent to sign in. */
  readonly authorize: string;
  /** Where the code is exchanged, and with which method (Facebook's is a GET). */
  readonly token: string;
  readonly tokenMethod: "GET" | "POST";
  /**
   * Where attributes are read with the access token: Google's People API (`personFields=` is
   * appended), Facebook's `/me` (`fields=` appended), Amazon's profile; Apple has none.
   */
  readonly attributes?: string;
  /** Google's OIDC userinfo, read when the token answer carries no id token. */
  readonly userinfo?: string;
  /** The keys the id token is signed with, and the issuer it names (Google, Apple). */
  readonly jwks?: string;
  readonly issuer?: string;
  /** Apple answers with a form post to the redirect URI. */
  readonly responseMode?: "form_post";
  /** True for the built-in stand-in: the emulator's own calls to it never leave the process. */
  readonly standIn: boolean;
  /** The stand-in's or upstream's root, where the provider's real endpoints were moved. */
  readonly root: string;
}

type RealEndpoints = Omit<SocialEndpoints, "type" | "standIn" | "root">;

/** The providers' real endpoints (Facebook's by Graph API version). */
function realEndpoints(type: SocialProviderType, apiVersion: string | undefined): RealEndpoints {
  const v = apiVersion ? `${apiVersion}/` : "";
  switch (type) {
    case "Google":
      return {
        authorize: "https://accounts.google.com/o/oauth2/v2/auth",
        token: "https://www.googleapis.com/oauth2/v4/token",
        tokenMethod: "POST",
        attributes: "https://people.googleapis.com/v1/people/me?personFields=",
        userinfo: "https://openidconnect.googleapis.com/v1/userinfo",
        jwks: "https://www.googleapis.com/oauth2/v3/certs",
        issuer: SOCIAL_ISSUERS.Google,
      };
    case "Facebook":
      return {
        authorize: `https://www.facebook.com/${v}dialog/oauth`,
        token: `https://graph.facebook.com/${v}oauth/access_token`,
        tokenMethod: "GET",
        attributes: `https://graph.facebook.com/${v}me?fields=`,
      };
    case "LoginWithAmazon":
      return {
        authorize: "https://www.amazon.com/ap/oa",
        token: "https://api.amazon.com/auth/o2/token",
        tokenMethod: "POST",
        attributes: "https://api.amazon.com/user/profile",
      };
    case "SignInWithApple":
      return {
        authorize: "https://appleid.apple.com/auth/authorize",
        token: "https://appleid.apple.com/auth/token",
        tokenMethod: "POST",
        jwks: "https://appleid.apple.com/auth/keys",
        issuer: SOCIAL_ISSUERS.SignInWithApple,
        responseMode: "form_post",
      };
  }
}

/** A real endpoint moved to `root`: its scheme and host replaced, its path and query kept. */
function rebase(root: string, real: string): string {
  const url = new URL(real);
  return `${root}${url.pathname}${url.search}`;
}

/** The public hosts of a provider's real endpoints (accounts.google.com, graph.facebook.com...). */
function realHosts(real: RealEndpoints): ReadonlySet<string> {
  const urls = [real.authorize, real.token, real.attributes, real.userinfo, real.jwks];
  return new Set(urls.filter((u): u is string => u !== undefined).map((u) => new URL(u).host));
}

/**
 * A provider's endpoints for this emulator: the team's upstream from `--social-upstream` when
 * one is named for the type, else the built-in stand-in at `<base>/_social/<slug>`, where `base`
 * is `--public-url` or where the request reached the emulator. Either way each real endpoint
 * keeps its path (`/o/oauth2/v2/auth`, `/v17.0/me`, `/auth/o2/token`, ...): the provider's own,
 * or the one its ProviderDetails name (`authorize_url`, `token_url`, `attributes_url`,
 * `token_request_method`, as Cognito echoes them).
 */
export function socialEndpoints(
  services: Pick<Services, "config">,
  type: SocialProviderType,
  baseUrl: string,
  details: Readonly<Record<string, string>> = {},
): SocialEndpoints {
  const upstream = services.config.socialUpstreams?.[type];
  const standIn = `${(services.config.publicUrl ?? baseUrl).replace(/\/+$/, "")}/_social/${STAND_IN_SLUGS[type]}`;
  const root = (upstream ?? standIn).replace(/\/+$/, "");
  const version =
    details.api_version && FACEBOOK_API_VERSION.test(details.api_version) ? details.api_version : undefined;
  const real = realEndpoints(type, version);
  const given = (key: string) => (details[key] && /^https?:\/\//.test(details[key]) ? details[key] : undefined);
  const attributes = given("attributes_url") ?? real.attributes;
  // A URL on the provider's real host is moved to the stand-in (or upstream), which cannot be
  // reached otherwise offline; one on any other host is the team's own mock, called as given.
  const hosts = realHosts(real);
  const move = (url: string) => (hosts.has(new URL(url).host) ? rebase(root, url) : url);
  return {
    type,
    authorize: move(given("authorize_url") ?? real.authorize),
    token: move(given("token_url") ?? real.token),
    tokenMethod:
      details.token_request_method === "GET" || details.token_request_method === "POST"
        ? details.token_request_method
        : real.tokenMethod,
    ...(attributes ? { attributes: move(attributes) } : {}),
    ...(real.userinfo ? { userinfo: rebase(root, real.userinfo) } : {}),
    ...(real.jwks ? { jwks: rebase(root, real.jwks) } : {}),
    ...(real.issuer ? { issuer: real.issuer } : {}),
    ...(real.responseMode ? { responseMode: real.responseMode } : {}),
    standIn: upstream === undefined,
    root,
  };
}

/** How the emulator's own calls reach a provider: in process for the stand-in, else over HTTP. */
type Fetch = (request: Request) => Promise<Response>;

function fetcherFor(services: Pick<Services, "socialStandIn">, endpoints: SocialEndpoints): Fetch {
  const http: Fetch = (request) => fetch(request, { signal: AbortSignal.timeout(10_000) });
  const inProcess = services.socialStandIn;
  if (!endpoints.standIn || !inProcess) return http;
  // The stand-in's endpoints in process; a team's mock named in ProviderDetails over HTTP.
  return (request) => (request.url.startsWith(`${endpoints.root}/`) ? inProcess(request) : http(request));
}

/** What a pool's provider record says about its app at the social provider. */
interface SocialApp {
  readonly type: SocialProviderType;
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: string;
  readonly details: Readonly<Record<string, string>>;
  readonly apple?: { readonly teamId: string; readonly keyId: string; readonly privateKey: string };
  /** The upstream attribute names the provider's AttributeMapping reads. */
  readonly mapped: readonly string[];
}

function appOf(provider: FederationProvider): SocialApp {
  const p = provider.provider;
  const type = p.ProviderType;
  if (!isSocialProviderType(type))
    throw new UpstreamError("invalid_request", `${providerName(provider)} is not a social provider`);
  const d = (p.ProviderDetails ?? {}) as Readonly<Record<string, string>>;
  const privateKey = provider.secrets?.private_key;
  const apple =
    type === "SignInWithApple" && d.team_id && d.key_id && privateKey
      ? { teamId: d.team_id, keyId: d.key_id, privateKey }
      : undefined;
  return {
    type,
    name: providerName(provider),
    clientId: d.client_id ?? "",
    clientSecret: d.client_secret ?? "",
    scopes: d.authorize_scopes ?? "",
    details: d,
    ...(apple ? { apple } : {}),
    mapped: [...new Set(Object.values(p.AttributeMapping ?? {}))],
  };
}

/** The provider's endpoints for this app: ProviderDetails' URLs (as Cognito echoes them) moved to the stand-in or upstream. */
function endpointsOf(services: Pick<Services, "config">, app: SocialApp, baseUrl: string): SocialEndpoints {
  return socialEndpoints(services, app.type, baseUrl, app.details);
}

/**
 * The sign-in URL at the provider (or its stand-in): client_id, the pool's idpresponse as
 * redirect_uri, response_type=code, the provider's authorize_scopes, the state; Apple's
 * response_mode=form_post; the nonce for the providers with id tokens.
 */
function startSocial(ctx: OperationContext, provider: FederationProvider, flow: UpstreamDraft): UpstreamStart {
  const app = appOf(provider);
  const endpoints = endpointsOf(ctx, app, ctx.baseUrl);
  const url = new URL(endpoints.authorize);
  const q = url.searchParams;
  q.set("client_id", app.clientId);
  q.set("redirect_uri", oauthResponseUrl(flow));
  q.set("response_type", "code");
  if (app.scopes) q.set("scope", app.scopes);
  q.set("state", flow.state);
  if (endpoints.responseMode) q.set("response_mode", endpoints.responseMode);
  if (endpoints.issuer) q.set("nonce", flow.nonce);
  return { url: url.toString() };
}

/** A failed sign-in as the app's callback gets it: `<ProviderName> Error - ...`. */
const failure = (app: SocialApp, error: string, words: string) =>
  new UpstreamError(error, `${app.name} Error - ${words}`);

/** An OAuth `error` value as RFC 6749 allows it; anything else becomes invalid_request. */
const ERROR_CODE = /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,100}$/;

/**
 * Finishes a sign-in at a social provider: exchanges the code, checks the id token (Google,
 * Apple: signature against the provider's keys, issuer, audience, expiry on the emulator's
 * clock, nonce) and reads the attributes where the provider keeps them. Throws UpstreamError
 * for a refusal, an error from the provider, a token that does not verify, a provider that is
 * down or answers garbage.
 */
async function finishSocial(
  ctx: OperationContext,
  provider: FederationProvider,
  flow: UpstreamFlow,
  params: URLSearchParams,
): Promise<UpstreamIdentity> {
  const app = appOf(provider);
  const endpoints = endpointsOf(ctx, app, ctx.baseUrl);
  const error = params.get("error");
  if (error !== null) {
    const description = params.get("error_description") ?? params.get("error_reason");
    throw failure(
      app,
      ERROR_CODE.test(error) ? error : "invalid_request",
      `${error}${description ? ` ${description}` : ""}`,
    );
  }
  const code = params.get("code");
  if (!code) throw failure(app, "invalid_request", "no authorization code was returned");
  const call = fetcherFor(ctx, endpoints);
  let outcome: { identity: UpstreamIdentity } | { error: string };
  let tokens: TokenAnswer | undefined;
  try {
    const answer = await exchangeCode(ctx, app, endpoints, call, code, oauthResponseUrl(flow));
    if ("error" in answer) throw failure(app, "invalid_request", answer.error);
    tokens = answer;
    const nonce = endpoints.issuer ? flow.nonce : undefined;
    switch (app.type) {
      case "Google":
        outcome = await readGoogle(ctx, app, endpoints, call, tokens, nonce);
        break;
      case "SignInWithApple":
        outcome = await readApple(ctx, app, endpoints, call, tokens, nonce, params.get("user"));
        break;
      case "Facebook":
        outcome = await readGraph(app, endpoints, call, tokens.access_token, "id");
        break;
      case "LoginWithAmazon":
        outcome = await readGraph(app, endpoints, call, tokens.access_token, "user_id");
        break;
    }
  } catch (e) {
    if (e instanceof UpstreamError) throw e;
    throw failure(app, "invalid_request", `the provider could not be reached: ${(e as Error).message}`);
  }
  if ("error" in outcome) throw failure(app, "invalid_request", outcome.error);
  return { ...outcome.identity, raw: rawAnswer(outcome.identity, tokens) };
}

/**
 * The provider's answer as the inbound federation trigger's event carries it: the token
 * response, the (verified) id token's claims, and the profile the attributes came from.
 */
function rawAnswer(identity: UpstreamIdentity, tokens: TokenAnswer | undefined): UpstreamRaw {
  const tokenResponse: Record<string, unknown> = {};
  let idToken: Record<string, unknown> | undefined;
  if (tokens) {
    tokenResponse.access_token = tokens.access_token;
    if (tokens.id_token !== undefined) {
      tokenResponse.id_token = tokens.id_token;
      try {
        idToken = JSON.parse(Buffer.from(tokens.id_token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
          string,
          unknown
        >;
      } catch {
        idToken = undefined;
      }
    }
  }
  return { tokenResponse, idToken, userInfo: { ...identity.attributes } };
}

/** The protocol of the four social ProviderTypes (protocols.ts). */
export const socialProtocol: UpstreamProtocol = {
  start: async (ctx, _pool, provider, flow) => startSocial(ctx, provider, flow),
  finish: (ctx, _pool, provider, flow, params) => finishSocial(ctx, provider, flow, params),
};

/** What a provider's attributes read to: the identity, or what went wrong. */
type Read = { identity: UpstreamIdentity } | { error: string };
const fail = (error: string): Read => ({ error });

interface TokenAnswer {
  readonly access_token: string;
  readonly id_token?: string | undefined;
}

async function exchangeCode(
  services: Pick<Services, "clock">,
  app: SocialApp,
  endpoints: SocialEndpoints,
  call: Fetch,
  code: string,
  redirectUri: string,
): Promise<TokenAnswer | { error: string }> {
  const form = new URLSearchParams({
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri,
    client_id: app.clientId,
    client_secret: app.type === "SignInWithApple" ? await appleClientSecret(services, app) : app.clientSecret,
  });
  let request: Request;
  if (endpoints.tokenMethod === "GET") {
    const url = new URL(endpoints.token);
    form.delete("grant_type");
    for (const [k, v] of form) url.searchParams.set(k, v);
    request = new Request(url, { headers: { accept: "application/json" } });
  } else {
    request = new Request(endpoints.token, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
    });
  }
  const res = await call(request);
  const body = await jsonOf(res);
  if (!res.ok || body === undefined || typeof body.access_token !== "string")
    return { error: `${app.type} refused the authorization code (HTTP ${res.status}): ${describe(body)}` };
  return { access_token: body.access_token, id_token: typeof body.id_token === "string" ? body.id_token : undefined };
}

/**
 * Apple's client secret: an ES256 JWT signed with the team's private key, `kid` the key id,
 * `iss` the team, `sub` the client (Services ID), `aud` Apple, valid five minutes.
 */
async function appleClientSecret(services: Pick<Services, "clock">, app: SocialApp): Promise<string> {
  if (!app.apple) return "";
  const now = Math.floor(services.clock.now() / 1000);
  const key = applePrivateKey(app.apple.privateKey);
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: app.apple.keyId })
    .setIssuer(app.apple.teamId)
    .setSubject(app.clientId)
    .setAudience(APPLE_CLIENT_SECRET_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(key);
}

/**
 * Sign in with Apple's key as ProviderDetails holds it: the .p8 file's PEM, or its bare base64
 * PKCS #8 body (how it is often pasted). Throws for anything else.
 */
export function applePrivateKey(text: string): KeyObject {
  if (text.includes("-----BEGIN")) return createPrivateKey(text);
  const body = text.replace(/\s+/g, "").replace(/(.{64})/g, "$1\n");
  return createPrivateKey(`-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`);
}

/** Claims of the id token that say nothing about the user. */
const TOKEN_BOOKKEEPING = new Set([
  "iss",
  "aud",
  "azp",
  "exp",
  "iat",
  "nbf",
  "at_hash",
  "c_hash",
  "nonce",
  "jti",
  "auth_time",
  "nonce_supported",
]);

async function verifyIdToken(
  services: Pick<Services, "clock">,
  app: SocialApp,
  endpoints: SocialEndpoints,
  call: Fetch,
  idToken: string,
  nonce: string | undefined,
): Promise<JWTPayload | { error: string }> {
  if (!endpoints.jwks || !endpoints.issuer) return { error: `${app.type} issues no id tokens` };
  const keysRes = await call(new Request(endpoints.jwks, { headers: { accept: "application/json" } }));
  const keys = await jsonOf(keysRes);
  if (!keysRes.ok || !Array.isArray(keys?.keys))
    return { error: `${app.type}'s keys could not be read (HTTP ${keysRes.status})` };
  try {
    const issuers = app.type === "Google" ? [endpoints.issuer, "accounts.google.com"] : [endpoints.issuer];
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(keys as unknown as JSONWebKeySet), {
      issuer: issuers,
      audience: app.clientId,
      currentDate: new Date(services.clock.now()),
      algorithms: ["RS256"],
    });
    if (nonce !== undefined && payload.nonce !== nonce) return { error: `the id token's nonce is not the one sent` };
    if (typeof payload.sub !== "string" || payload.sub === "") return { error: "the id token names no subject" };
    return payload;
  } catch (e) {
    return { error: `the id token was refused: ${(e as Error).message}` };
  }
}

function claimsOf(payload: JWTPayload): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([k]) => !TOKEN_BOOKKEEPING.has(k)));
}

/** The People API's person fields (Cognito reads those the mapping names from people/me). */
const GOOGLE_PERSON_FIELDS = new Set([
  "addresses",
  "ageRanges",
  "biographies",
  "birthdays",
  "emailAddresses",
  "genders",
  "locales",
  "names",
  "nicknames",
  "phoneNumbers",
  "photos",
  "urls",
]);

/** Google: the id token's claims, then the People API's fields the mapping names. */
async function readGoogle(
  services: Pick<Services, "clock">,
  app: SocialApp,
  endpoints: SocialEndpoints,
  call: Fetch,
  tokens: TokenAnswer,
  nonce: string | undefined,
): Promise<Read> {
  let attributes: Record<string, unknown>;
  if (tokens.id_token) {
    const payload = await verifyIdToken(services, app, endpoints, call, tokens.id_token, nonce);
    if ("error" in payload) return fail(String(payload.error));
    attributes = claimsOf(payload);
  } else {
    // No openid scope: the userinfo endpoint answers the same claims for the access token.
    const info = await getJson(call, `${endpoints.userinfo}`, tokens.access_token);
    if ("error" in info) return fail(`Google's userinfo refused the token: ${info.error}`);
    attributes = info.body;
  }
  const fields = app.mapped.filter((name) => GOOGLE_PERSON_FIELDS.has(name));
  if (fields.length > 0 && endpoints.attributes) {
    const person = await getJson(call, `${endpoints.attributes}${fields.join(",")}`, tokens.access_token);
    if ("error" in person) return fail(`Google's People API refused the token: ${person.error}`);
    for (const field of fields) if (person.body[field] !== undefined) attributes[field] = person.body[field];
  }
  const subject = attributes.sub;
  if (typeof subject !== "string" || subject === "") return fail("Google named no subject.");
  return { identity: { subject, attributes } };
}

/**
 * Apple: the id token's claims (`sub`, `email`, `email_verified`, `is_private_email`), and on
 * the first sign-in only, the name from the form's `user` field (`firstName`, `lastName`,
 * `name`: both, as Cognito's attribute names for Apple have it).
 */
async function readApple(
  services: Pick<Services, "clock">,
  app: SocialApp,
  endpoints: SocialEndpoints,
  call: Fetch,
  tokens: TokenAnswer,
  nonce: string | undefined,
  user: string | null,
): Promise<Read> {
  if (!tokens.id_token) return fail("Sign in with Apple answered no id token.");
  const payload = await verifyIdToken(services, app, endpoints, call, tokens.id_token, nonce);
  if ("error" in payload) return fail(String(payload.error));
  const attributes = claimsOf(payload);
  if (user) {
    try {
      const parsed = JSON.parse(user) as { name?: { firstName?: unknown; lastName?: unknown } };
      const first = typeof parsed.name?.firstName === "string" ? parsed.name.firstName : undefined;
      const last = typeof parsed.name?.lastName === "string" ? parsed.name.lastName : undefined;
      if (first !== undefined) attributes.firstName = first;
      if (last !== undefined) attributes.lastName = last;
      const name = [first, last].filter((part) => part !== undefined && part !== "").join(" ");
      if (name !== "") attributes.name = name;
    } catch {
      // A `user` field that is not JSON carries no name; the id token still signs the user in.
    }
  }
  return { identity: { subject: String(payload.sub), attributes } };
}

/**
 * Facebook and Amazon: the profile call with the access token. Facebook's `/me` answers only
 * the fields asked for (the id and the mapping's names, as Cognito appends them); Amazon's
 * profile answers what the scopes allow.
 */
async function readGraph(
  app: SocialApp,
  endpoints: SocialEndpoints,
  call: Fetch,
  accessToken: string,
  subjectField: "id" | "user_id",
): Promise<Read> {
  let url = endpoints.attributes ?? "";
  if (app.type === "Facebook") url += [...new Set([subjectField, ...app.mapped])].join(",");
  const answer = await getJson(call, url, accessToken);
  if ("error" in answer) return fail(`${app.type} refused the access token: ${answer.error}`);
  const subject = answer.body[subjectField];
  if (typeof subject !== "string" || subject === "") return fail(`${app.type} named no ${subjectField}.`);
  return { identity: { subject, attributes: answer.body } };
}

async function getJson(
  call: Fetch,
  url: string,
  accessToken: string,
): Promise<{ body: Record<string, unknown> } | { error: string }> {
  const res = await call(
    new Request(url, { headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" } }),
  );
  const body = await jsonOf(res);
  if (!res.ok || body === undefined) return { error: `HTTP ${res.status}: ${describe(body)}` };
  return { body };
}

async function jsonOf(res: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const body: unknown = await res.json();
    return body !== null && typeof body === "object" && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A provider's error body in a line: OAuth's `error`/`error_description`, or Graph's `error.message`. */
function describe(body: Record<string, unknown> | undefined): string {
  if (body === undefined) return "not JSON";
  const e = body.error;
  if (e !== null && typeof e === "object") return String((e as { message?: unknown }).message ?? "error");
  return [e, body.error_description].filter((part) => typeof part === "string").join(": ") || "no error named";
}
