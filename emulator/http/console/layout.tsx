/** @jsxImportSource hono/jsx */
// The web console's frame: one list of pages (the nav), the page layout, the style sheet, and the
// response headers every console page carries. Server-rendered with Hono's JSX, which escapes
// every value; the only script is the live views' small one (live.ts), run by a per-response
// nonce that the Content-Security-Policy names.

import type { Context } from "hono";
import { raw } from "hono/html";
import type { Child, FC } from "hono/jsx";
import { newOpaque } from "../../services/ids.js";
import { Notices, PostButton } from "./components.js";

/** Where the console lives. */
export const CONSOLE_BASE = "/_twin/ui";

/** One entry of the console's nav. */
export interface ConsolePage {
  /** The page's path (under {@link CONSOLE_BASE}). */
  readonly path: string;
  readonly label: string;
}

/**
 * The console's pages, in nav order: a new page (a faults page, say) is one line here plus its
 * route in index.tsx.
 */
export const CONSOLE_PAGES: readonly ConsolePage[] = [
  { path: CONSOLE_BASE, label: "Pools" },
  { path: `${CONSOLE_BASE}/inbox`, label: "Inbox" },
  { path: `${CONSOLE_BASE}/requests`, label: "Requests" },
  { path: `${CONSOLE_BASE}/clock`, label: "Clock" },
  { path: `${CONSOLE_BASE}/tokens`, label: "Tokens" },
  { path: `${CONSOLE_BASE}/faults`, label: "Faults" },
  { path: `${CONSOLE_BASE}/reset`, label: "Reset" },
];

/**
 * The style sheet: system fonts, tables that scroll inside their box on a phone (the page never
 * scrolls sideways), no class a value could name. No quotes or brackets (JSX escapes them).
 */
const STYLE = [
  "*{box-sizing:border-box}",
  "html{-webkit-text-size-adjust:100%}",
  "body{margin:0;font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;color:#1f2328;background:#f6f7f9}",
  "a{color:#0b5cad}",
  "header{background:#16213a;color:#fff}",
  ".bar{max-width:76rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1.25rem}",
  ".brand{font-weight:700;color:#fff;text-decoration:none;letter-spacing:.01em}",
  "nav ul{display:flex;flex-wrap:wrap;gap:.15rem;margin:0;padding:0;list-style:none}",
  "nav a{display:block;padding:.3rem .6rem;border-radius:5px;color:#d6def0;text-decoration:none}",
  "nav a:hover{background:#ffffff1a;color:#fff}",
  "nav a[aria-current=page]{background:#ffffff26;color:#fff;font-weight:600}",
  ".clock{margin-left:auto;font-size:.85rem;color:#b8c3da;font-variant-numeric:tabular-nums}",
  ".clock a{color:inherit}",
  "main{max-width:76rem;margin:0 auto;padding:1.25rem 1rem 3rem}",
  "h1{font-size:1.45rem;margin:0 0 .2rem}",
  "h2{font-size:1.1rem;margin:1.75rem 0 .5rem}",
  ".sub{margin:0 0 1rem;color:#59636e}",
  ".crumbs{margin:0 0 .4rem;font-size:.9rem;color:#59636e}",
  ".box{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:1rem;margin:0 0 1rem}",
  ".scroll{overflow-x:auto;background:#fff;border:1px solid #d8dee4;border-radius:8px;margin:0 0 1rem}",
  "table{border-collapse:collapse;width:100%;font-size:.92rem}",
  "th,td{text-align:left;padding:.45rem .7rem;border-bottom:1px solid #eaeef2;vertical-align:baseline}",
  "td .sub{margin:0;font-size:.85em}",
  ".nowrap{white-space:nowrap}",
  "th{background:#f6f8fa;font-weight:600;color:#424a53;white-space:nowrap}",
  "tr:last-child td{border-bottom:0}",
  "tbody tr:hover{background:#f8fafc}",
  "td.empty{color:#6e7781;text-align:center;padding:1.2rem}",
  "code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.86em}",
  ".wrap{word-break:break-all}",
  "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}",
  "dl.facts dt{color:#59636e}",
  "dl.facts dd{margin:0;min-width:0;overflow-wrap:anywhere}",
  ".badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:.78rem;font-weight:600;background:#eaeef2;color:#424a53;white-space:nowrap}",
  ".ok{background:#dafbe1;color:#116329}",
  ".warn{background:#fff8c5;color:#7d4e00}",
  ".bad{background:#ffebe9;color:#a40e26}",
  ".code{font-size:1.05rem;font-weight:700;letter-spacing:.06em}",
  "form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:0 0 1rem}",
  "label{display:block;font-weight:600;margin:0 0 .25rem}",
  "input,select,textarea{font:inherit;padding:.45rem .55rem;border:1px solid #8c959f;border-radius:6px;background:#fff;max-width:100%}",
  "textarea{width:100%;min-height:8rem;font-family:ui-monospace,monospace;font-size:.85rem}",
  "button{font:inherit;font-weight:600;padding:.45rem .9rem;border-radius:6px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}",
  "button.quiet{background:#fff;color:#0b5cad}",
  "button.danger{background:#cf222e;border-color:#cf222e}",
  "input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid #54aeff;outline-offset:1px}",
  ".notice{padding:.6rem .8rem;border-radius:6px;margin:0 0 1rem;background:#dafbe1;color:#116329}",
  ".error{padding:.6rem .8rem;border-radius:6px;margin:0 0 1rem;background:#ffebe9;color:#a40e26}",
  ".live{font-size:.85rem;color:#59636e}",
  "pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.84rem}",
  "details summary{cursor:pointer;color:#0b5cad}",
  ".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}",
  ".grid .box{margin:0}",
  ".box h2{margin-top:0}",
  ".steps{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 1rem}",
  "@media (max-width:40rem){body{font-size:14px}.clock{margin-left:0;width:100%}main{padding:1rem .6rem 2rem}th,td{padding:.4rem .5rem}}",
].join("");

/** What every console page is rendered with. */
export interface Frame {
  readonly title: string;
  /** The nav entry to mark as the current page. */
  readonly current?: string | undefined;
  /** The per-response nonce of the page's style sheet and script ({@link consolePage} makes it). */
  readonly nonce: string;
  /** The emulator's clock now (epoch ms) and its offset from real time (seconds), shown in the bar. */
  readonly clock: { readonly now: number; readonly offsetSeconds: number };
  /** True when the console is behind a control token: the bar offers to sign out. */
  readonly signedIn?: boolean | undefined;
}

/** The HTML document around every console page: the head (title, style sheet), then `children` as the body. */
const Document: FC<{ title: string; nonce: string; children?: Child }> = ({ title, nonce, children }) => (
  <>
    {raw("<!DOCTYPE html>")}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <link rel="icon" href="data:," />
        <title>{`${title} - cognito-twin console`}</title>
        <style nonce={nonce}>{STYLE}</style>
      </head>
      <body>{children}</body>
    </html>
  </>
);

/** The whole page: the bar with the nav and the clock, then the content. */
export const Layout: FC<Frame & { children?: Child }> = ({ title, current, nonce, clock, signedIn, children }) => (
  <Document title={title} nonce={nonce}>
    <header>
      <div class="bar">
        <a class="brand" href={CONSOLE_BASE}>
          cognito-twin
        </a>
        <nav aria-label="Console">
          <ul>
            {CONSOLE_PAGES.map((p) => (
              <li>
                <a href={p.path} aria-current={p.path === current ? "page" : undefined}>
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="clock">
          <a href={`${CONSOLE_BASE}/clock`} title="The emulator's clock">
            {shortTime(clock.now)}
          </a>
          {clock.offsetSeconds !== 0 ? ` (${offsetText(clock.offsetSeconds)})` : ""}
        </span>
        {signedIn ? <PostButton action={`${CONSOLE_BASE}/logout`} label="Sign out" /> : null}
      </div>
    </header>
    <main>{children}</main>
  </Document>
);

/**
 * Sets the headers every console answer carries: never cached, never framed, no script or style
 * but the ones rendered with this response's nonce, forms and live streams to this origin only.
 */
export function consoleHeaders(c: Context, nonce: string): void {
  c.header("Cache-Control", "no-store");
  c.header("X-Frame-Options", "DENY");
  c.header("X-Content-Type-Options", "nosniff");
  // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with the
  // console's own form POSTs, which the same-origin check (auth.tsx) would refuse.
  c.header("Referrer-Policy", "same-origin");
  c.header(
    "Content-Security-Policy",
    `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
}

/** A fresh nonce for one page. */
export function newNonce(): string {
  return newOpaque(16);
}

/** `2026-01-01 12:00:00 UTC`: a time on the emulator's clock, to the second. */
export function shortTime(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** `+1 h 30 min` for a clock offset or a duration in seconds. */
function offsetText(seconds: number): string {
  const sign = seconds < 0 ? "-" : "+";
  return `${sign}${durationText(Math.abs(seconds))}`;
}

/** `3 d 4 h`, `59 min 10 s`, `12 s`: a duration in seconds, its two largest units. */
export function durationText(seconds: number): string {
  let s = Math.round(Math.abs(seconds));
  const units: [string, number][] = [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
    ["s", 1],
  ];
  const parts: string[] = [];
  for (const [name, size] of units) {
    if (s >= size || (name === "s" && parts.length === 0)) {
      parts.push(`${Math.floor(s / size)} ${name}`);
      s %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(" ");
}

/** The sign-in page of a console behind a control token (auth.ts answers it with 401). */
export const LoginPage: FC<{ nonce: string; next: string; error?: string | undefined }> = ({ nonce, next, error }) => (
  <Document title="Sign in" nonce={nonce}>
    <header>
      <div class="bar">
        <span class="brand">cognito-twin</span>
      </div>
    </header>
    <main>
      <h1>Sign in to the console</h1>
      <p class="sub">
        This emulator has a control token (<code>--control-token</code>). Enter it to open the console; it is kept in a
        cookie for this browser only.
      </p>
      <Notices error={error} />
      <form class="box" method="post" action={`${CONSOLE_BASE}/login`}>
        <input type="hidden" name="next" value={next} />
        <p>
          <label for="token">Control token</label>
          <input id="token" name="token" type="password" autocomplete="current-password" required />
        </p>
        <button type="submit">Sign in</button>
      </form>
    </main>
  </Document>
);
