// Mounts a pool's domain on the emulator: its managed login pages and OAuth 2.0 endpoints answer
// when the Host header names the domain (`<prefix>.auth.<region>.amazoncognito.com` or a custom
// domain, mapped to the emulator), and under `/_domain/<prefix or custom name>/...` on any host,
// which needs no DNS. Also the test control POST /_twin/oauth/code (docs/hosted-ui.md).
import type { Context, Hono } from "hono";
import type { Services } from "../../context.js";
import { domainOfHost, domainOfName, primaryDomain } from "../../domain/oauth/addressing.js";
import { checkAuthorizeRequest, completeAuthorize } from "../../domain/oauth/authorize.js";
import { findUser } from "../../domain/users/lookup.js";
import type { Registry } from "../../operations/types.js";
import type { StoredPool } from "../../store/types.js";
import { uiAssetRoutes } from "./branding.js";
import { confirmUserGet } from "./confirm-user.js";
import { revokeEndpoint, tokenEndpoint, userInfoEndpoint } from "./endpoints.js";
import { hostedFault } from "./faults.js";
import { authorizeOrFederate, idpResponse } from "./federation.js";
import {
  challengeGet,
  challengePost,
  confirmGet,
  confirmPost,
  errorPage,
  forgotGet,
  forgotPost,
  type HostedDeps,
  loginGet,
  loginPost,
  logout,
  methodNotAllowed,
  type PageHandler,
  passkeysAddGet,
  passkeysAddPost,
  resetGet,
  resetPost,
  signUpGet,
  signUpPost,
} from "./flows.js";
import { samlIdpResponse, samlLogout } from "./saml.js";
import type { Site } from "./site.js";

interface Route {
  readonly GET?: PageHandler;
  readonly POST?: PageHandler;
  /** Takes every method itself (the JSON endpoints answer 405 and preflights their own way). */
  readonly any?: PageHandler;
}

/** Every path a domain serves, as Cognito names them. */
const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ["/oauth2/authorize", { GET: authorizeOrFederate }],
  ["/oauth2/idpresponse", { GET: idpResponse, POST: idpResponse }],
  ["/saml2/idpresponse", { POST: samlIdpResponse }],
  ["/saml2/logout", { POST: samlLogout }],
  ["/oauth2/token", { any: tokenEndpoint }],
  ["/oauth2/userInfo", { any: userInfoEndpoint }],
  ["/oauth2/revoke", { any: revokeEndpoint }],
  ["/login", { GET: loginGet, POST: loginPost }],
  ["/challenge", { GET: challengeGet, POST: challengePost }],
  ["/signup", { GET: signUpGet, POST: signUpPost }],
  ["/confirm", { GET: confirmGet, POST: confirmPost }],
  ["/confirmUser", { GET: confirmUserGet }],
  ["/forgotPassword", { GET: forgotGet, POST: forgotPost }],
  ["/confirmForgotPassword", { GET: resetGet, POST: resetPost }],
  ["/logout", { GET: logout }],
  // Managed login (version 2) only: the handlers answer 404 on the classic hosted UI.
  ["/passkeys/add", { GET: passkeysAddGet, POST: passkeysAddPost }],
]);

/** The paths a domain serves, which fault rules may name (services/faults.ts). */
export const HOSTED_PATHS: readonly string[] = [...ROUTES.keys()];

/** `http://host:port` as the request reached the emulator. */
function originOf(c: Context): string {
  const url = new URL(c.req.url);
  const host = c.req.header("host");
  return host ? `${url.protocol}//${host}` : url.origin;
}

function siteFor(services: Services, c: Context, pool: StoredPool, domain: Site["domain"], prefix: string): Site {
  const origin = originOf(c);
  return {
    pool,
    domain,
    prefix,
    origin,
    secure: origin.startsWith("https:") || (services.config.publicUrl?.startsWith("https:") ?? false),
  };
}

async function dispatch(c: Context, site: Site, path: string, deps: HostedDeps): Promise<Response> {
  // The request log's line names the pool, and the client when the query names a plausible one.
  const clientId = c.req.query("client_id");
  c.set("logFacts", {
    poolId: site.pool.id,
    clientId: clientId && /^[\w+]{1,128}$/.test(clientId) ? clientId : undefined,
  });
  // Fault rules on this path (docs/faults.md): one boolean while no rule or quota mode is set.
  if (deps.services.faults.armed) {
    const faulted = await hostedFault(c, site, path, deps);
    if (faulted) return faulted;
  }
  const route = ROUTES.get(path);
  if (!route) return errorPage(c, site, "invalid_request", { key: "pageNotFound" }, 404);
  if (route.any) return route.any(c, site, deps);
  const method = c.req.method === "HEAD" ? "GET" : c.req.method;
  const handler = method === "GET" ? route.GET : method === "POST" ? route.POST : undefined;
  if (!handler)
    return methodNotAllowed(c, site, [route.GET ? "GET" : "", route.POST ? "POST" : ""].filter(Boolean).join(", "));
  return handler(c, site, deps);
}

/** A path segment used as the base as it was sent, when it is a plain host name. */
const PLAIN_NAME = /^[a-z0-9.-]{1,253}$/i;

/** Mounts the domains (both addressing forms) and the test control on the app. */
export function hostedRoutes(app: Hono, services: Services, registry: Registry): void {
  const deps: HostedDeps = { services, registry };

  // By Host name: only for the paths a domain serves, so the API and everything else never pay.
  app.use("*", async (c, next) => {
    if (!ROUTES.has(c.req.path)) return next();
    // A request without a Host header (in-process app.request) is judged by its URL.
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    const match = domainOfHost(services.store, host);
    if (!match) return next();
    return dispatch(c, siteFor(services, c, match.pool, match.domain, ""), c.req.path, deps);
  });

  const byPath = async (c: Context) => {
    const segments = new URL(c.req.url).pathname.split("/");
    const raw = segments[2] ?? "";
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      name = "";
    }
    const match = domainOfName(services.store, name);
    if (!match) return c.json({ message: "No user pool has this domain." }, 404);
    const prefix = `/_domain/${PLAIN_NAME.test(raw) ? raw.toLowerCase() : match.domain.domain}`;
    const path = `/${segments.slice(3).join("/")}`;
    return dispatch(c, siteFor(services, c, match.pool, match.domain, prefix), path, deps);
  };
  app.all("/_domain/:domain", byPath);
  app.all("/_domain/:domain/*", byPath);

  app.post("/_twin/oauth/code", (c) => testCode(c, services));
  // The classic hosted UI's logo, where GetUICustomization's ImageUrl points.
  uiAssetRoutes(app, services);
}

/**
 * The discovery document's endpoint URLs for a pool with a domain (path form, on `publicUrl` or
 * the base the request used); none while it has no domain.
 */
export function discoveryEndpoints(
  services: Pick<Services, "config">,
  pool: Pick<StoredPool, "id" | "domains">,
  requestBase: string,
): Record<string, string> {
  const domain = primaryDomain(pool);
  if (!domain) return {};
  const base = `${(services.config.publicUrl ?? requestBase).replace(/\/+$/, "")}/_domain/${domain.domain.toLowerCase()}`;
  return {
    authorization_endpoint: `${base}/oauth2/authorize`,
    end_session_endpoint: `${base}/logout`,
    revocation_endpoint: `${base}/oauth2/revoke`,
    token_endpoint: `${base}/oauth2/token`,
    userinfo_endpoint: `${base}/oauth2/userInfo`,
  };
}

const CODE_FIELDS = [
  "clientId",
  "username",
  "redirectUri",
  "scope",
  "nonce",
  "codeChallenge",
  "codeChallengeMethod",
  "state",
];

/**
 * POST /_twin/oauth/code: a fresh authorization code for a user of a hosted-UI client, as if the
 * user had signed in on the pages, without a browser. Answers the redirect the app would get.
 */
async function testCode(c: Context, services: Services): Promise<Response> {
  const usage =
    'Body must be JSON like {"clientId": "...", "username": "..."} (optional: redirectUri, scope, nonce, codeChallenge, codeChallengeMethod, state)';
  let body: Record<string, unknown>;
  try {
    body = (await c.req.json()) as Record<string, unknown>;
  } catch {
    return c.json({ message: usage }, 400);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return c.json({ message: usage }, 400);
  for (const key of CODE_FIELDS) {
    if (body[key] !== undefined && typeof body[key] !== "string")
      return c.json({ message: `${key} must be a string. ${usage}` }, 400);
  }
  const str = (key: string) => body[key] as string | undefined;
  const clientId = str("clientId");
  const username = str("username");
  if (!clientId || !username) return c.json({ message: usage }, 400);
  const client = services.store.getClient(clientId);
  const pool = client ? services.store.getPool(client.poolId) : undefined;
  if (!client || !pool) return c.json({ message: `No app client ${clientId}.` }, 400);
  const redirectUri = str("redirectUri") ?? client.client.DefaultRedirectURI ?? client.client.CallbackURLs?.[0] ?? "";
  const query = new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: redirectUri });
  const optional: [string, string | undefined][] = [
    ["scope", str("scope")],
    ["nonce", str("nonce")],
    ["code_challenge", str("codeChallenge")],
    ["code_challenge_method", str("codeChallengeMethod")],
    ["state", str("state")],
  ];
  for (const [k, v] of optional) if (v !== undefined) query.set(k, v);
  // No prompt here (the request is built above), so the domain's version changes nothing.
  const checked = checkAuthorizeRequest(services, pool, query, primaryDomain(pool)?.managedLoginVersion ?? 1);
  if (checked.kind !== "ok") return c.json({ message: `${checked.error}: ${checked.description}` }, 400);
  const user = findUser(services, pool, username);
  if (!user) return c.json({ message: `No user ${username} in user pool ${pool.id}.` }, 400);
  if (!user.enabled) return c.json({ message: "User is disabled." }, 400);
  if (user.status === "UNCONFIRMED") return c.json({ message: "User is not confirmed." }, 400);
  const ctx = {
    ...services,
    region: pool.id.split("_")[0] ?? services.config.region,
    requestId: c.get("requestId") ?? "",
    baseUrl: originOf(c),
  };
  const redirectUrl = await completeAuthorize(
    ctx,
    pool,
    checked.client,
    checked.request,
    user,
    Math.floor(services.clock.now() / 1000),
  );
  return c.json({ redirectUrl, code: new URL(redirectUrl).searchParams.get("code") });
}
