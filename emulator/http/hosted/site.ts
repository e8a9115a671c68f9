// One request to a pool's domain: which pool and domain, the base every link, form, redirect and
// cookie path is built on (`` for a request by Host name, `/_domain/<name>` for the path form),
// and the cookies of managed login: the CSRF cookie (a random browser id whose HMAC every form
// carries) and the session cookie. Both HttpOnly, SameSite=Lax, scoped to the domain's base.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { OperationContext, Services } from "../../context.js";
import { newOpaque } from "../../services/ids.js";
import type { DomainRecord, StoredPool } from "../../store/types.js";

/** The pool and domain a request reached, and where it reached them. */
export interface Site {
  readonly pool: StoredPool;
  readonly domain: Readonly<DomainRecord>;
  /** The path every link starts with: "" (Host form) or `/_domain/<name>` (path form). */
  readonly prefix: string;
  /** `http://host:port` as the request reached the emulator. */
  readonly origin: string;
  readonly secure: boolean;
}

/** Cookie names, as Cognito's managed login names them. */
const CSRF_COOKIE = "XSRF-TOKEN";
const SESSION_COOKIE = "cognito";
/** A browser id or session id as the emulator makes them (newOpaque: base64url). */
const OPAQUE = /^[A-Za-z0-9_-]{32,64}$/;

/** The path a site's cookies are scoped to. */
function cookiePath(site: Site): string {
  return site.prefix === "" ? "/" : site.prefix;
}

/** The options of every managed login cookie (the language cookie of i18n.ts too). */
export function cookieOptions(site: Site, maxAge?: number) {
  return {
    path: cookiePath(site),
    httpOnly: true,
    sameSite: "Lax" as const,
    secure: site.secure,
    ...(maxAge !== undefined ? { maxAge } : {}),
  };
}

/** The CSRF token a form of this browser carries: HMAC of its browser id, bound to the site. */
function csrfFor(services: Pick<Services, "oauth">, site: Site, browser: string): string {
  return createHmac("sha256", services.oauth.csrfKey)
    .update(`${site.pool.id}|${site.prefix}|${browser}`)
    .digest("base64url");
}

/**
 * The browser id of this request, set as a cookie when it has none: every page with a form calls
 * it, and the form carries the token it answers.
 */
export function browserOf(
  c: Context,
  services: Pick<Services, "oauth">,
  site: Site,
): { browser: string; csrf: string } {
  let browser = getCookie(c, CSRF_COOKIE);
  if (browser === undefined || !OPAQUE.test(browser)) {
    browser = newOpaque(24);
    setCookie(c, CSRF_COOKIE, browser, cookieOptions(site));
  }
  return { browser, csrf: csrfFor(services, site, browser) };
}

/** The browser id this request's CSRF cookie names, unchecked (a GET of a page in a sign-in). */
export function browserCookie(c: Context): string | undefined {
  const browser = getCookie(c, CSRF_COOKIE);
  return browser !== undefined && OPAQUE.test(browser) ? browser : undefined;
}

/** The browser id of a form post whose CSRF token is right; undefined for a missing or forged one. */
export function checkedBrowser(
  c: Context,
  services: Pick<Services, "oauth">,
  site: Site,
  token: string | undefined,
): string | undefined {
  const browser = getCookie(c, CSRF_COOKIE);
  if (browser === undefined || !OPAQUE.test(browser) || token === undefined) return undefined;
  const expected = Buffer.from(csrfFor(services, site, browser));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? browser : undefined;
}

/** The managed login session this browser holds for the site's pool, if any. */
export function sessionCookie(c: Context): string | undefined {
  const id = getCookie(c, SESSION_COOKIE);
  return id !== undefined && OPAQUE.test(id) ? id : undefined;
}

export function setSessionCookie(c: Context, site: Site, id: string, maxAgeSeconds: number): void {
  setCookie(c, SESSION_COOKIE, id, cookieOptions(site, maxAgeSeconds));
}

export function clearSessionCookie(c: Context, site: Site): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(site));
}

/** A link on the site: the prefix, the path, and the query (an authorize request's, usually). */
export function siteLink(site: Site, path: string, query?: URLSearchParams | Record<string, string>): string {
  const q = query === undefined ? "" : new URLSearchParams(query).toString();
  return `${site.prefix}${path}${q ? `?${q}` : ""}`;
}

/** What the domain functions are handed for a request to the site. */
export function siteContext(services: Services, c: Context, site: Site): OperationContext {
  return {
    ...services,
    region: site.pool.id.split("_")[0] ?? services.config.region,
    requestId: c.get("requestId") ?? "",
    baseUrl: site.origin,
    userAgent: c.req.header("user-agent"),
  };
}

/** The parameters of a form post (application/x-www-form-urlencoded); undefined for another body. */
export async function formOf(c: Context): Promise<URLSearchParams | undefined> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return undefined;
  try {
    return new URLSearchParams(await c.req.text());
  } catch {
    return undefined;
  }
}
