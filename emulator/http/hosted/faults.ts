// Fault rules on the paths of a pool's domain (docs/faults.md): the managed login pages and the
// OAuth 2.0 endpoints answer a fired rule in their own shapes, an OAuth error body or an error
// page, and AWS's front door (CloudFront, for a domain) answers HTTP 500 and 503 in its own.
import type { Context } from "hono";
import { basicCredentials } from "../../domain/oauth/client-auth.js";
import { holdFault } from "../../protocol/faults.js";
import type { FaultDecision } from "../../services/faults.js";
import { errorPage, type HostedDeps } from "./flows.js";
import { formOf, type Site } from "./site.js";

/** The endpoints apps call directly, which answer JSON; the other paths are pages. */
const JSON_PATHS: ReadonlySet<string> = new Set(["/oauth2/token", "/oauth2/revoke", "/oauth2/userInfo"]);

/** What each OAuth error code means, RFC 6749's words: the description when a rule gives none. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  invalid_request: "The request is missing a required parameter or is otherwise malformed.",
  invalid_client: "Client authentication failed.",
  invalid_grant: "The provided authorization grant is invalid, expired or revoked.",
  unauthorized_client: "The client is not authorized to use this grant type.",
  unsupported_grant_type: "The grant type is not supported.",
  invalid_scope: "The requested scope is invalid or unknown.",
  invalid_token: "The access token is invalid.",
  access_denied: "The request was denied.",
  server_error: "The server encountered an unexpected condition.",
  temporarily_unavailable: "The server is temporarily unable to handle the request.",
};

/** The status an OAuth error code is answered with. */
function statusOf(code: string): number {
  if (code === "invalid_client" || code === "invalid_token") return 401;
  if (code === "server_error") return 500;
  if (code === "temporarily_unavailable") return 503;
  return 400;
}

/** The app client a request to the domain names: `client_id` of the query or form, or HTTP Basic. */
async function clientOf(c: Context): Promise<string | undefined> {
  const fromQuery = c.req.query("client_id");
  if (fromQuery) return fromQuery;
  const basic = basicCredentials(c.req.header("authorization"));
  if (basic && basic !== "malformed") return basic.id;
  // The body is read once and kept by Hono, so the endpoint reads the same form after this.
  return c.req.method === "POST" ? ((await formOf(c))?.get("client_id") ?? undefined) : undefined;
}

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json;charset=UTF-8",
      "cache-control": "no-store",
      pragma: "no-cache",
      "access-control-allow-origin": "*",
      ...headers,
    },
  });
}

/** The same response under another status (the error page knows only the statuses of its own flows). */
function withStatus(res: Response, status: number): Response {
  return new Response(res.body, { status, headers: res.headers });
}

/** An error as CloudFront, in front of every Cognito domain, answers one: HTML, `x-cache: Error from cloudfront`. */
function frontDoor(status: 500 | 503): Response {
  const title = status === 503 ? "503 Service Unavailable" : "500 Internal Server Error";
  const body = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">
<TITLE>ERROR: The request could not be satisfied</TITLE>
</HEAD><BODY>
<H1>${status} ERROR</H1>
<H2>The request could not be satisfied.</H2>
<HR noshade size="1px">
${title}: the origin could not answer. (a fault rule of cognito-twin)
</BODY></HTML>`;
  return new Response(body, {
    status,
    headers: { "content-type": "text/html", "x-cache": "Error from cloudfront", "cache-control": "no-store" },
  });
}

/** The answer a fired rule gives on a path: undefined for `delay` (the request goes on). */
async function answer(c: Context, site: Site, path: string, fault: FaultDecision): Promise<Response | undefined> {
  const isJson = JSON_PATHS.has(path);
  switch (fault.action) {
    case "http500":
      return frontDoor(500);
    case "http503":
      return frontDoor(503);
    case "throttle": {
      const description = fault.message ?? "Rate exceeded";
      if (isJson) return json({ error: "too_many_requests", error_description: description }, 429);
      return withStatus(await errorPage(c, site, "too_many_requests", description), 429);
    }
    case "error": {
      const code = fault.oauthError ?? "server_error";
      const status = statusOf(code);
      if (isJson) {
        const headers: Record<string, string> =
          status === 401 && path === "/oauth2/userInfo" ? { "www-authenticate": `Bearer error="${code}"` } : {};
        return json(
          fault.message ? { error: code, error_description: fault.message } : { error: code },
          status,
          headers,
        );
      }
      return withStatus(await errorPage(c, site, code, fault.message ?? DESCRIPTIONS[code] ?? code), status);
    }
    default:
      return undefined;
  }
}

/**
 * The fault of a request to a path of a pool's domain: a Response when a rule fires and answers
 * (or drops the connection), else undefined. Cheap when no rule names the path.
 */
export async function hostedFault(
  c: Context,
  site: Site,
  path: string,
  deps: HostedDeps,
): Promise<Response | undefined> {
  const { faults } = deps.services;
  if (!faults.watches(path)) return undefined;
  const request = { userPoolId: site.pool.id, clientId: await clientOf(c) };
  const fault = faults.forPath(path, () => request);
  if (!fault) return undefined;
  return (await holdFault(c, deps.services, fault)) ?? answer(c, site, path, fault);
}
