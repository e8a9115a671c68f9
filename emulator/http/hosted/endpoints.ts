// The OAuth 2.0 endpoints apps call directly (not through a browser): POST /oauth2/token,
// GET or POST /oauth2/userInfo, POST /oauth2/revoke. JSON answers, never cached, readable from
// any origin as Cognito's are (docs/hosted-ui.md, docs/decisions/0016-oauth-endpoints.md).
import type { Context } from "hono";
import { singleParameters } from "../../domain/oauth/authorize.js";
import { basicCredentials, type PresentedClient } from "../../domain/oauth/client-auth.js";
import { OAuthError } from "../../domain/oauth/errors.js";
import { revokeAtEndpoint } from "../../domain/oauth/revoke.js";
import { tokenGrant } from "../../domain/oauth/token.js";
import { userInfo } from "../../domain/oauth/userinfo.js";
import type { HostedDeps } from "./flows.js";
import { formOf, type Site, siteContext } from "./site.js";

const TOKEN_PARAMETERS = [
  "grant_type",
  "client_id",
  "client_secret",
  "code",
  "redirect_uri",
  "code_verifier",
  "refresh_token",
  // The device a refresh_token grant's session is bound to (as CloudTrail shows Cognito taking it,
  // aws-sdk-java-v2#3418; docs/decisions/0019-remembered-devices.md).
  "device_key",
  "scope",
  // Passed on to the pre token generation trigger as its clientMetadata (domain/oauth/token.ts).
  "aws_client_metadata",
] as const;
const REVOKE_PARAMETERS = ["token", "client_id", "client_secret", "token_type_hint"] as const;

type Status = 200 | 400 | 401 | 405;

function json(c: Context, body: unknown, status: Status): Response {
  c.header("Cache-Control", "no-store");
  c.header("Pragma", "no-cache");
  c.header("Access-Control-Allow-Origin", "*");
  return c.json(body, status);
}

function failed(c: Context, deps: HostedDeps, where: string, e: OAuthError): Response {
  deps.services.log.info(`cognito-twin: ${where} ${e.error}: ${e.description}`);
  if (e.status === 401 && where === "userInfo")
    c.header("WWW-Authenticate", `Bearer error="${e.error}", error_description="${e.description.replace(/"/g, "'")}"`);
  return json(c, e.body(), e.status as Status);
}

/** A browser's preflight for the endpoints (userInfo's Authorization header needs one). */
function preflight(c: Context): Response {
  c.header("Access-Control-Allow-Origin", "*");
  c.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  c.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
  c.header("Access-Control-Max-Age", "86400");
  return c.body(null, 204);
}

function notAllowed(c: Context, allow: string): Response {
  c.header("Allow", allow);
  return json(c, { error: "invalid_request", error_description: `This endpoint takes ${allow} only.` }, 405);
}

/** The form of a POST to the token or revocation endpoint, each parameter at most once. */
async function formParameters(c: Context, names: readonly string[]): Promise<Map<string, string>> {
  const form = await formOf(c);
  if (!form) throw new OAuthError("invalid_request", "send the body as application/x-www-form-urlencoded");
  const single = singleParameters(form, names);
  if ("problem" in single) throw new OAuthError("invalid_request", single.problem);
  return single.values;
}

function presentedClient(c: Context, params: ReadonlyMap<string, string>): PresentedClient {
  return {
    basic: basicCredentials(c.req.header("authorization")),
    formId: params.get("client_id"),
    formSecret: params.get("client_secret"),
  };
}

export async function tokenEndpoint(c: Context, site: Site, deps: HostedDeps): Promise<Response> {
  if (c.req.method === "OPTIONS") return preflight(c);
  if (c.req.method !== "POST") return notAllowed(c, "POST");
  try {
    const params = await formParameters(c, TOKEN_PARAMETERS);
    const out = await tokenGrant(siteContext(deps.services, c, site), site.pool, params, presentedClient(c, params));
    return json(c, out, 200);
  } catch (e) {
    if (e instanceof OAuthError) return failed(c, deps, "token", e);
    throw e;
  }
}

export async function userInfoEndpoint(c: Context, site: Site, deps: HostedDeps): Promise<Response> {
  if (c.req.method === "OPTIONS") return preflight(c);
  if (c.req.method !== "GET" && c.req.method !== "POST") return notAllowed(c, "GET, POST");
  try {
    const m = /^bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
    if (!m) {
      c.header(
        "WWW-Authenticate",
        'Bearer error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"',
      );
      throw new OAuthError("invalid_request", "Bad OAuth2 request at UserInfo Endpoint", 400, true);
    }
    return json(c, await userInfo(deps.services, site.pool, m[1]!), 200);
  } catch (e) {
    if (e instanceof OAuthError) return failed(c, deps, "userInfo", e);
    throw e;
  }
}

export async function revokeEndpoint(c: Context, site: Site, deps: HostedDeps): Promise<Response> {
  if (c.req.method === "OPTIONS") return preflight(c);
  if (c.req.method !== "POST") return notAllowed(c, "POST");
  try {
    const params = await formParameters(c, REVOKE_PARAMETERS);
    revokeAtEndpoint(deps.services, site.pool, params, presentedClient(c, params));
    c.header("Cache-Control", "no-store");
    c.header("Access-Control-Allow-Origin", "*");
    return c.body(null, 200);
  } catch (e) {
    if (e instanceof OAuthError) return failed(c, deps, "revoke", e);
    throw e;
  }
}
