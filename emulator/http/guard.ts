// Who may use the emulator over HTTP (docs/security.md). On every route, the Host header must
// name this emulator, so a web page whose DNS name was rebound to 127.0.0.1 is refused (and the
// discovery document never names a host a caller made up). On the test controls (/_twin/*):
// the control token when one is set, and POSTs only as application/json, which a page can send
// to another origin only after a CORS preflight that the emulator never grants there.
import { createHash, timingSafeEqual } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import type { Context, MiddlewareHandler, Next } from "hono";
import type { TwinConfig } from "../config.js";
import { errors } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { requestHeader } from "../protocol/headers.js";
import { renderError } from "../protocol/render.js";
import { consoleGate, isConsolePath } from "./console/auth.js";

/** `host[:port]`, the host a name or a bracketed IPv6 address. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::\d{1,5})?$/i;

/**
 * The host a Host header (or an address, a URL's hostname) names: lower case, without its port
 * or a trailing dot, IPv6 in brackets in its shortest form; undefined when it is not a host.
 */
export function hostNameOf(value: string): string | undefined {
  const m = HOST_HEADER.exec(value);
  if (!m) return undefined;
  const name = m[1]!.toLowerCase();
  if (name.startsWith("[")) {
    if (!isIPv6(name.slice(1, -1))) return undefined;
    // [0:0:0:0:0:0:0:1] and [::1] are one address.
    return new URL(`http://${name}`).hostname;
  }
  const bare = name.endsWith(".") ? name.slice(0, -1) : name;
  return bare === "" || bare.startsWith(".") ? undefined : bare;
}

function isLoopback(name: string): boolean {
  return (
    name === "localhost" || name.endsWith(".localhost") || name === "[::1]" || (name.startsWith("127.") && isIPv4(name))
  );
}

function isIpLiteral(name: string): boolean {
  return name.startsWith("[") || isIPv4(name);
}

/** True for the addresses that mean "every interface". */
function listensEverywhere(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]";
}

/** True when the emulator listening on `host` can be reached only from this machine. */
export function listensOnLoopback(host: string): boolean {
  const name = hostNameOf(host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);
  return name !== undefined && isLoopback(name);
}

/** Cached verdicts per Host header value; cleared when full (a client sending many names). */
const SEEN_LIMIT = 1024;

/**
 * The Host names the emulator answers: loopback (localhost, *.localhost, 127.0.0.0/8, [::1]),
 * the listen address (unless it is 0.0.0.0 or ::, where any IP address is accepted instead,
 * since a container is reached by addresses it cannot know), the host of --public-url, the
 * names of --allowed-hosts (`.example.com`: that name and every name under it), names added
 * with `allow`, and the pools' domains (`<prefix>.auth.<region>.amazoncognito.com`, custom
 * domains), which `isDomain` recognises. The port is ignored, case too.
 *
 * It runs on every request, so each Host value's verdict is cached; only the domains, which
 * change at run time, are asked afresh, and only about names nothing else allows.
 */
export class HostAllowList {
  private readonly names = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly anyIp: boolean;
  /** Host value → allowed (true), not a host (false), or its name if only a domain could allow it. */
  private readonly seen = new Map<string, boolean | string>();

  constructor(
    config: Pick<TwinConfig, "host" | "publicUrl" | "allowedHosts">,
    private readonly isDomain: (name: string) => boolean = () => false,
  ) {
    this.anyIp = listensEverywhere(config.host);
    if (!this.anyIp)
      this.allow(config.host.includes(":") && !config.host.startsWith("[") ? `[${config.host}]` : config.host);
    if (config.publicUrl) this.allow(new URL(config.publicUrl).hostname);
    for (const name of config.allowedHosts ?? []) this.allow(name);
  }

  /** Accepts `name` (a host, without port) from now on; `.example.com` accepts the names under it too. */
  allow(name: string): void {
    const lower = name.trim().toLowerCase();
    if (lower.startsWith(".") && lower.length > 1) {
      this.suffixes.push(lower);
      this.names.add(lower.slice(1));
    } else {
      const host = hostNameOf(lower);
      if (host !== undefined) this.names.add(host);
    }
    this.seen.clear();
  }

  /** True when a request whose Host header is `value` may be answered. */
  allowedHost(value: string): boolean {
    let verdict = this.seen.get(value);
    if (verdict === undefined) {
      verdict = this.judge(value);
      if (this.seen.size >= SEEN_LIMIT) this.seen.clear();
      this.seen.set(value, verdict);
    }
    return typeof verdict === "boolean" ? verdict : this.isDomain(verdict);
  }

  private judge(value: string): boolean | string {
    const name = hostNameOf(value);
    if (name === undefined) return false;
    if (isLoopback(name) || this.names.has(name) || (this.anyIp && isIpLiteral(name))) return true;
    if (this.suffixes.some((suffix) => name.endsWith(suffix))) return true;
    return name;
  }
}

/** What the guard needs. */
export interface GuardOptions {
  readonly hosts: HostAllowList;
  /** When set, every /_twin/* request must carry it. */
  readonly controlToken?: string | undefined;
  /** --public-url: its origin is the web console's own too (console/auth.ts). */
  readonly publicUrl?: string | undefined;
  readonly log: Logger;
}

/** True for the test controls' paths (the web console's, /_twin/ui, have their own rules). */
function isControlPath(path: string): boolean {
  return path === "/_twin" || path.startsWith("/_twin/");
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** The token a request carries: `X-Twin-Control-Token`, else `Authorization: Bearer`. */
function presentedToken(c: Context): string | undefined {
  const header = requestHeader(c, "x-twin-control-token");
  if (header !== undefined) return header.trim();
  const auth = requestHeader(c, "authorization");
  const m = auth === undefined ? null : /^bearer\s+(\S+)\s*$/i.exec(auth);
  return m ? m[1] : undefined;
}

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

function shown(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

/**
 * The first check of every request: the Host allow-list everywhere (HTTP 403; in Cognito's
 * error shape on the API route), then on /_twin/* the control token (401) and, for POSTs,
 * `Content-Type: application/json` (415). /health stays open to any allowed Host.
 */
export function guard(options: GuardOptions): MiddlewareHandler {
  const { hosts, log } = options;
  const expected = options.controlToken === undefined ? undefined : digest(options.controlToken);
  return async (c: Context, next: Next) => {
    // A request without a Host header (HTTP/1.0, or app.request() in-process) is judged by its URL.
    const host = requestHeader(c, "host") ?? new URL(c.req.url).host;
    if (!hosts.allowedHost(host)) {
      const refusal = errors.hostNotAllowed(shown(host));
      if (c.req.path === "/") return renderError(refusal, c.get("requestId") ?? "", log);
      return c.json({ message: refusal.message }, 403);
    }
    // The web console (/_twin/ui): a browser cannot send the token header on a navigation nor
    // POST JSON from a form, so its rules replace both: the token or the console cookie, and
    // same-origin POSTs (console/auth.ts, docs/decisions/0034-web-console.md).
    if (isConsolePath(c.req.path)) {
      const token = expected === undefined ? undefined : presentedToken(c);
      const answer = consoleGate(c, {
        controlToken: options.controlToken,
        publicUrl: options.publicUrl,
        presented: token,
        presentedMatches: token !== undefined && expected !== undefined && timingSafeEqual(digest(token), expected),
      });
      if (answer !== undefined) return answer;
    } else if (isControlPath(c.req.path)) {
      if (expected !== undefined) {
        const token = presentedToken(c);
        // Digests of equal length, so the comparison takes the same time whatever was sent.
        if (token === undefined || !timingSafeEqual(digest(token), expected)) {
          return c.json(
            {
              message:
                token === undefined
                  ? "This emulator's test controls need its control token: send it as X-Twin-Control-Token: <token> or Authorization: Bearer <token>."
                  : "The control token sent does not match this emulator's --control-token.",
            },
            401,
            { "WWW-Authenticate": 'Bearer realm="cognito-twin test controls"' },
          );
        }
      }
      if (c.req.method === "POST" && !isJson(requestHeader(c, "content-type"))) {
        const sent = requestHeader(c, "content-type");
        return c.json(
          {
            message: `POST ${shown(c.req.path)} takes Content-Type: application/json${sent ? `, not ${shown(sent)}` : " (none was sent)"}: a web page cannot send that to another origin without asking first.`,
          },
          415,
        );
      }
    }
    await next();
  };
}

/** The warning printed at start when the emulator can be reached from other machines without a token. */
export function exposureWarning(config: Pick<TwinConfig, "host" | "controlToken">): string | undefined {
  if (config.controlToken !== undefined || listensOnLoopback(config.host)) return undefined;
  return `cognito-twin: warning: listening on ${config.host}, so other machines can reach the test controls (/_twin/*: state, signing keys, password hashes, reset) without a credential; set --control-token (COGNITO_TWIN_CONTROL_TOKEN) to require one (docs/security.md).`;
}
