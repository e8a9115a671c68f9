// CORS for browser clients, answered as hono/cors answers it for a fixed origin of "*", but with
// the headers added to the final answer after the handler ran. hono/cors writes them into
// `c.res` before the handler, so Hono must merge that placeholder into the handler's answer,
// which makes @hono/node-server turn every body into a web stream (docs/decisions/0010-hot-paths.md).
import type { Context, MiddlewareHandler, Next } from "hono";

/**
 * The paths other origins may call: the Cognito API (`POST /` and its preflight, which browser
 * SDKs need) and each pool's JWKS and discovery document (public on AWS too). Nothing else, so
 * no web page can read the test controls (/_twin/*) or a future console under /_twin/ui.
 */
export function crossOriginPath(path: string): boolean {
  return path === "/" || (WELL_KNOWN.test(path) && !path.startsWith("/_twin/"));
}

const WELL_KNOWN = /^\/[^/]+\/\.well-known\/(jwks\.json|openid-configuration)$/;

/** What the emulator allows: any origin, these methods, these headers shown to scripts. */
export interface CorsOptions {
  /** Only "*" is supported: the emulator serves any origin, on the paths `appliesTo` accepts. */
  origin?: "*";
  /** The paths that get CORS headers and preflight answers; others get none. */
  appliesTo(path: string): boolean;
  allowMethods: readonly string[];
  exposeHeaders: readonly string[];
  /** Seconds a browser may cache a preflight answer. */
  maxAge: number;
}

/** On the paths it applies to: answers preflights, and marks other answers readable from any origin. */
export function cors(options: CorsOptions): MiddlewareHandler {
  const { appliesTo } = options;
  const methods = options.allowMethods.join(",");
  const expose = options.exposeHeaders.join(",");
  const maxAge = String(options.maxAge);
  return async (c: Context, next: Next) => {
    if (!appliesTo(c.req.path)) return next();
    if (c.req.method === "OPTIONS") {
      // The preflight carries what earlier middleware set (the request id), as with hono/cors.
      const headers = c.res.headers;
      headers.set("Access-Control-Allow-Origin", "*");
      headers.set("Access-Control-Expose-Headers", expose);
      headers.set("Access-Control-Max-Age", maxAge);
      headers.set("Access-Control-Allow-Methods", methods);
      const requested = c.req.header("Access-Control-Request-Headers");
      if (requested) {
        headers.set(
          "Access-Control-Allow-Headers",
          requested
            .split(",")
            .map((h) => h.trim())
            .join(","),
        );
        headers.append("Vary", "Access-Control-Request-Headers");
      }
      headers.delete("Content-Length");
      headers.delete("Content-Type");
      return new Response(null, { headers, status: 204, statusText: "No Content" });
    }
    await next();
    try {
      c.res.headers.set("Access-Control-Allow-Origin", "*");
    } catch {
      // An answer with immutable headers (a fetched Response): copy it once, then decorate.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set("Access-Control-Allow-Origin", "*");
    }
    c.res.headers.set("Access-Control-Expose-Headers", expose);
  };
}
