// A browser without a browser, for the hosted scenarios: one origin's cookie jar, redirects
// followed by hand while they stay on that origin, and HTML forms filled in and posted as a
// browser posts them (their hidden fields, such as the CSRF token, included). Enough for the
// emulator's managed login pages, which run no script.

/** How requests are sent: fetch for a server, `app.request` for an in-process Hono app. */
export type Send = (url: string, init: RequestInit) => Promise<Response>;

/** One answer as the scenarios look at it. */
export interface Page {
  readonly status: number;
  readonly url: string;
  readonly headers: Headers;
  readonly body: string;
  /** The Location header, resolved against the request's URL. */
  readonly location?: string;
}

/** A form of a page: where it posts and its hidden fields. */
interface Form {
  readonly action: string;
  readonly hidden: Readonly<Record<string, string>>;
}

const ENTITIES: Record<string, string> = { quot: '"', "#39": "'", "#x27": "'", lt: "<", gt: ">", amp: "&" };

/** Decodes the entities HTML escaping produces in attribute values and text. */
function unescapeHtml(s: string): string {
  return s.replace(/&(quot|#39|#x27|lt|gt|amp);/g, (_, name: string) => ENTITIES[name]!);
}

function pathMatches(path: string, cookiePath: string): boolean {
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || path[cookiePath.length] === "/";
}

/** A cookie jar and form filler for one origin. */
export class PageClient {
  readonly cookies = new Map<string, { value: string; path: string }>();
  private readonly origin: string;

  constructor(
    origin: string,
    private readonly send: Send = (url, init) => fetch(url, { ...init, redirect: "manual" }),
  ) {
    this.origin = new URL(origin).origin;
  }

  /** One request, cookies sent and kept; redirects not followed. */
  async fetch(url: string, init: RequestInit = {}): Promise<Page> {
    const target = new URL(url, this.origin);
    const headers = new Headers(init.headers);
    const cookie = [...this.cookies]
      .filter(([, c]) => pathMatches(target.pathname, c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join("; ");
    if (cookie) headers.set("cookie", cookie);
    const res = await this.send(target.toString(), { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) || "/";
      const maxAge = attributes.find((a) => /^max-age=/i.test(a));
      const expires = attributes.find((a) => /^expires=/i.test(a));
      const gone =
        (maxAge !== undefined && Number(maxAge.slice(8)) <= 0) ||
        (expires !== undefined && Date.parse(expires.slice(8)) < Date.now());
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, { value: pair.slice(eq + 1), path });
    }
    const location = res.headers.get("location");
    return {
      status: res.status,
      url: target.toString(),
      headers: res.headers,
      body: await res.text(),
      ...(location ? { location: new URL(location, target).toString() } : {}),
    };
  }

  /**
   * Follows redirects while they stay on this origin; answers the last page, whose `location`
   * (when set) is where the browser was sent outside: the app's callback or sign-out URL.
   */
  async follow(page: Page, hops = 10): Promise<Page> {
    let current = page;
    for (let i = 0; i < hops && current.location; i++) {
      if (new URL(current.location).origin !== this.origin) return current;
      current = await this.fetch(current.location);
    }
    return current;
  }

  /** GET and follow. */
  async open(url: string): Promise<Page> {
    return this.follow(await this.fetch(url));
  }

  /**
   * Fills in and posts the page's form that has a `field` input (default: the first form): its
   * hidden fields, then `fields`; answers the followed result.
   */
  async submit(page: Page, fields: Record<string, string>, field?: string): Promise<Page> {
    const form = formOf(page.body, field);
    if (!form) throw new Error(`no form${field ? ` with a ${field} field` : ""} on ${page.url}: ${excerpt(page.body)}`);
    const data = new URLSearchParams(form.hidden);
    for (const [k, v] of Object.entries(fields)) data.set(k, v);
    const posted = await this.fetch(new URL(form.action || page.url, page.url).toString(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: data.toString(),
    });
    return this.follow(posted);
  }
}

/** The first form of a page (with a `field` input, when given). */
function formOf(html: string, field?: string): Form | undefined {
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const body = m[2]!;
    if (field && !new RegExp(`<input[^>]*name="${field}"`, "i").test(body)) continue;
    const action = /action="([^"]*)"/i.exec(m[1]!)?.[1] ?? "";
    const hidden: Record<string, string> = {};
    for (const input of body.matchAll(/<input\b[^>]*type="hidden"[^>]*>/gi)) {
      const name = /name="([^"]*)"/i.exec(input[0])?.[1];
      const value = /value="([^"]*)"/i.exec(input[0])?.[1] ?? "";
      if (name !== undefined) hidden[unescapeHtml(name)] = unescapeHtml(value);
    }
    return { action: unescapeHtml(action), hidden };
  }
  return undefined;
}

/** The start of a page's text, for failure messages. */
export function excerpt(html: string, length = 300): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/gi, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, length);
}
