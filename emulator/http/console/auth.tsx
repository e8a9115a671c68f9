/** @jsxImportSource hono/jsx */
// Who may use the web console (/_twin/ui), checked by the guard (http/guard.ts) in place of its
// header-token and JSON-only rules, which a browser's navigations and forms cannot meet:
//   - every POST must come from the console's own origin (Sec-Fetch-Site, else Origin), so a page
//     of another origin (another port on localhost included) cannot reset the emulator or move
//     its clock with a form;
//   - with a control token, a request needs the token (the same headers as /_twin/*) or the
//     console cookie, which `?token=` or the sign-in form set: HttpOnly, SameSite=Strict, Path
//     /_twin/ui, its value an HMAC of the token rather than the token itself.
// The reasoning is in docs/decisions/0034-web-console.md.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { requestHeader } from "../../protocol/headers.js";
import { CONSOLE_BASE, consoleHeaders, LoginPage, newNonce } from "./layout.js";

/** The console cookie's name. */
export const CONSOLE_COOKIE = "cognito_twin_console";

/** True for the console's paths. */
export function isConsolePath(path: string): boolean {
  return path === CONSOLE_BASE || path.startsWith(`${CONSOLE_BASE}/`);
}

/** The console cookie's value for a control token: an HMAC of it, so the cookie is not the token. */
export function consoleCookieValue(controlToken: string): string {
  return createHmac("sha256", controlToken).update("cognito-twin web console v1").digest("base64url");
}

function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The cookie's value in the request's Cookie header, if sent. */
function cookieOf(c: Context): string | undefined {
  const header = requestHeader(c, "cookie");
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === CONSOLE_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * True when a state-changing request comes from the console's own pages: `Sec-Fetch-Site:
 * same-origin` where the browser sends it, and an `Origin` naming the Host the request was sent
 * to (or --public-url's origin) whenever one is sent. A request with neither is refused: every
 * browser sends one of them with a POST, and a script can add them.
 */
function sameOrigin(c: Context, publicUrl?: string): boolean {
  const site = requestHeader(c, "sec-fetch-site");
  if (site !== undefined && site.trim().toLowerCase() !== "same-origin") return false;
  const origin = requestHeader(c, "origin");
  if (origin === undefined) return site !== undefined;
  let sent: URL;
  try {
    sent = new URL(origin.trim());
  } catch {
    return false;
  }
  if (sent.protocol !== "http:" && sent.protocol !== "https:") return false;
  if (publicUrl !== undefined && sent.origin === new URL(publicUrl).origin) return true;
  const host = (requestHeader(c, "host") ?? new URL(c.req.url).host).trim().toLowerCase();
  return sent.host === host;
}

/** True for methods that change nothing (the console's pages and live streams). */
function isSafe(method: string): boolean {
  return method === "GET" || method === "HEAD";
}

/** `Set-Cookie` for the console cookie (`value` "" clears it). */
export function setConsoleCookie(c: Context, value: string, publicUrl?: string): void {
  const secure = new URL(c.req.url).protocol === "https:" || publicUrl?.startsWith("https:") === true;
  const parts = [
    `${CONSOLE_COOKIE}=${value}`,
    `Path=${CONSOLE_BASE}`,
    "HttpOnly",
    "SameSite=Strict",
    ...(secure ? ["Secure"] : []),
    ...(value === "" ? ["Max-Age=0"] : []),
  ];
  c.header("Set-Cookie", parts.join("; "), { append: true });
}

/** A console path to go back to after signing in; anything else (another site, say) goes to the console's start. */
export function safeNext(next: string | undefined): string {
  if (next === undefined || !isConsolePath(next.split(/[?#]/)[0]!) || next.includes("\\") || /[\r\n]/.test(next))
    return CONSOLE_BASE;
  return next;
}

/** The sign-in page, answered with 401. */
export function loginPage(c: Context, next: string, error?: string): Response | Promise<Response> {
  const nonce = newNonce();
  consoleHeaders(c, nonce);
  c.status(401);
  return c.html(<LoginPage nonce={nonce} next={safeNext(next)} error={error} />);
}

/** What the guard hands the console's gate. */
export interface ConsoleGateOptions {
  /** The control token, when one is set (--control-token). */
  readonly controlToken?: string | undefined;
  readonly publicUrl?: string | undefined;
  /** The header token the request carries (X-Twin-Control-Token or Authorization: Bearer), if any. */
  readonly presented?: string | undefined;
  /** True when `presented` is the control token (the guard compares it). */
  readonly presentedMatches: boolean;
}

/**
 * The console's access rules for one request to /_twin/ui: undefined to let it through, else
 * the answer (403 for a cross-origin POST; the sign-in page, or a redirect that sets the cookie).
 */
export function consoleGate(c: Context, options: ConsoleGateOptions): Response | Promise<Response> | undefined {
  const method = c.req.method;
  if (!isSafe(method) && !sameOrigin(c, options.publicUrl)) {
    // JSON, as every other refusal under /_twin is (a browser shows it as text).
    return c.json(
      {
        message: `${method} ${c.req.path} refused: the web console takes changes only from its own pages (same origin), and this request's Origin / Sec-Fetch-Site say it came from elsewhere (or say nothing).`,
      },
      403,
    );
  }
  const token = options.controlToken;
  if (token === undefined) return undefined;
  if (options.presentedMatches) return undefined;
  const cookie = cookieOf(c);
  if (cookie !== undefined && equalText(cookie, consoleCookieValue(token))) return undefined;
  // The sign-in form's POST is checked by its route (after the body limit); it is same-origin here.
  if (method === "POST" && c.req.path === `${CONSOLE_BASE}/login`) return undefined;
  const url = new URL(c.req.url);
  const here = `${url.pathname}${url.search}`;
  if (isSafe(method)) {
    const offered = url.searchParams.get("token");
    if (offered !== null) {
      url.searchParams.delete("token");
      const clean = `${url.pathname}${url.search}`;
      if (!equalText(offered, token)) return loginPage(c, clean, "That is not this emulator's control token.");
      // The token leaves the address bar at once: the redirect drops it, the cookie keeps the session.
      setConsoleCookie(c, consoleCookieValue(token), options.publicUrl);
      c.header("Cache-Control", "no-store");
      c.header("Referrer-Policy", "no-referrer");
      return c.redirect(clean, 303);
    }
    return loginPage(
      c,
      here,
      options.presented !== undefined ? "The control token sent does not match this emulator's." : undefined,
    );
  }
  return c.json(
    {
      message:
        "The web console needs this emulator's control token: sign in at /_twin/ui (or send X-Twin-Control-Token).",
    },
    401,
    { "WWW-Authenticate": 'Bearer realm="cognito-twin test controls"' },
  );
}
