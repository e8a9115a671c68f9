// A very small browser for in-process tests of the managed login pages: a cookie jar (name, value,
// path; Max-Age=0 deletes), redirects followed by hand within the emulator, and form fields read
// from the HTML. It talks to `app.request()`, so no port is needed.

/** What the browser is handed: the Hono app of a TwinApp. */
export interface Requestable {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

interface StoredCookie {
  value: string;
  path: string;
  attributes: string;
}

/** An answer as the tests look at it. */
export interface Page {
  status: number;
  url: string;
  headers: Headers;
  body: string;
  /** The Location header, resolved against the request's URL. */
  location?: string;
}

/** True when `path` is inside a cookie's `cookiePath` (RFC 6265 section 5.1.4). */
function pathMatches(path: string, cookiePath: string): boolean {
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || path[cookiePath.length] === "/";
}

/** Decodes the few entities Hono's JSX escaping produces. */
function unescapeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export class Browser {
  /** Cookies by name (one origin per browser is all the tests need). */
  readonly cookies = new Map<string, StoredCookie>();

  constructor(
    private readonly app: Requestable,
    /** Where relative URLs point: `http://localhost` (path form) or a domain's host. */
    readonly origin = "http://localhost",
  ) {}

  private cookieHeader(url: URL): string {
    return [...this.cookies]
      .filter(([, c]) => pathMatches(url.pathname, c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join("; ");
  }

  private remember(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? "/";
      const maxAge = attrs.find((a) => /^max-age=/i.test(a));
      if (maxAge !== undefined && Number(maxAge.slice(8)) <= 0) this.cookies.delete(name);
      else this.cookies.set(name, { value, path, attributes: attrs.join("; ") });
    }
  }

  /** One request, cookies sent and stored; redirects not followed. */
  async fetch(url: string, init: RequestInit = {}): Promise<Page> {
    const target = new URL(url, this.origin);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(target);
    if (cookie) headers.set("cookie", cookie);
    const res = await this.app.request(target.toString(), { ...init, headers });
    this.remember(res.headers);
    const location = res.headers.get("location");
    return {
      status: res.status,
      url: target.toString(),
      headers: res.headers,
      body: await res.text(),
      ...(location ? { location: new URL(location, target).toString() } : {}),
    };
  }

  get(url: string): Promise<Page> {
    return this.fetch(url);
  }

  /** A form post (application/x-www-form-urlencoded). */
  post(url: string, fields: Record<string, string> | URLSearchParams): Promise<Page> {
    return this.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /**
   * Follows redirects while they stay on this browser's origin; answers the last page, whose
   * `location` (when set) is where the emulator sent the browser outside (the app's callback).
   */
  async follow(page: Page, hops = 10): Promise<Page> {
    let current = page;
    for (let i = 0; i < hops && current.location; i++) {
      if (new URL(current.location).origin !== new URL(this.origin).origin) return current;
      current = await this.get(current.location);
    }
    return current;
  }

  /** GET and follow. */
  async open(url: string): Promise<Page> {
    return this.follow(await this.get(url));
  }

  /**
   * Submits the page's (first) form: its hidden fields, then `fields`; answers the followed result.
   * `submitter` adds a button's name=value.
   */
  async submit(page: Page, fields: Record<string, string>, submitter?: Record<string, string>): Promise<Page> {
    const form = formOf(page.body);
    if (!form) throw new Error(`no form on the page:\n${page.body.slice(0, 500)}`);
    const data = new URLSearchParams(form.hidden);
    for (const [k, v] of Object.entries({ ...fields, ...submitter })) data.set(k, v);
    return this.follow(await this.post(new URL(form.action, page.url).toString(), data));
  }
}

/** The first form of a page: its action and hidden fields. */
function formOf(html: string): { action: string; hidden: Record<string, string> } | undefined {
  const m = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!m) return undefined;
  const hidden: Record<string, string> = {};
  for (const input of m[2]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? "";
    if (name !== undefined) hidden[unescapeHtml(name)] = unescapeHtml(value);
  }
  return { action: unescapeHtml(m[1]!), hidden };
}

/** The text of a page's error message (role=alert), if any. */
export function alertOf(html: string): string | undefined {
  const m = /<p class="error" role="alert">([\s\S]*?)<\/p>/.exec(html);
  return m ? unescapeHtml(m[1]!) : undefined;
}
