// The web console in-process (app.request()): every page, the live streams, the actions (clock,
// inbox, reset), the token decoder's verdicts, and who may use it (same-origin POSTs, the control
// token or its cookie). The same pages in a real browser: browser.test.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call } from "../../../test-support/twin.js";
import { createApp, type TwinApp } from "../../app.js";
import { ManualClock } from "../../core/clock.js";
import { CONSOLE_COOKIE, consoleCookieValue } from "./auth.js";
import { CONSOLE_PAGES } from "./layout.js";

const SAME_ORIGIN = { origin: "http://localhost", "sec-fetch-site": "same-origin" };
const PASSWORD = "Console-Passw0rd!";

let twin: TwinApp;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  twin = await createApp({ logLevel: "silent" }, { clock });
});
afterEach(async () => {
  await twin.close();
});

/** A pool with a client, a group, a domain and a confirmed user `ann` in the group. */
async function world(name = "Console Pool") {
  const pool = await call(twin, "CreateUserPool", {
    PoolName: name,
    UsernameAttributes: ["email"],
    AutoVerifiedAttributes: ["email"],
  });
  const poolId = (pool.body.UserPool as { Id: string }).Id;
  const client = await call(twin, "CreateUserPoolClient", {
    UserPoolId: poolId,
    ClientName: "web-app",
    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  const clientId = (client.body.UserPoolClient as { ClientId: string }).ClientId;
  await call(twin, "CreateGroup", {
    UserPoolId: poolId,
    GroupName: "admins",
    Precedence: 1,
    Description: "The admins",
  });
  await call(twin, "CreateUserPoolDomain", {
    UserPoolId: poolId,
    Domain: `console-${Math.random().toString(36).slice(2, 8)}`,
  });
  const signUp = await call(twin, "SignUp", {
    ClientId: clientId,
    Username: "ann@example.com",
    Password: PASSWORD,
    UserAttributes: [{ Name: "email", Value: "ann@example.com" }],
  });
  const username = signUp.body.UserSub as string;
  await call(twin, "AdminConfirmSignUp", { UserPoolId: poolId, Username: username });
  await call(twin, "AdminAddUserToGroup", { UserPoolId: poolId, Username: username, GroupName: "admins" });
  return { poolId, clientId, username };
}

async function signIn(clientId: string) {
  const res = await call(twin, "InitiateAuth", {
    ClientId: clientId,
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: "ann@example.com", PASSWORD },
  });
  expect(res.status).toBe(200);
  return res.body.AuthenticationResult as { AccessToken: string; IdToken: string; RefreshToken: string };
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await twin.app.request(path, { headers });
  return { res, html: await res.text() };
}

/** A form POST as the console's pages send it (same origin unless `headers` say otherwise). */
async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = SAME_ORIGIN) {
  return twin.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Reads an SSE answer until `until` shows up in it, then stops reading. */
async function readStream(res: Response, until: string, timeoutMs = 5000): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (!text.includes(until)) {
      if (Date.now() > deadline) throw new Error(`no ${until} in ${text}`);
      const { done, value } = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out; got ${text}`)), timeoutMs)),
      ]);
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel();
  }
  return text;
}

describe("the console's pages", () => {
  it("lists the pools, each with its counts, and links to each", async () => {
    const { poolId } = await world();
    const { res, html } = await get("/_twin/ui");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(html).toContain("<!DOCTYPE html>");
    expect(html).toContain("Console Pool");
    expect(html).toContain(`href="/_twin/ui/pools/${poolId}"`);
    // The nav: one entry per page, the current one marked.
    for (const p of CONSOLE_PAGES) expect(html).toContain(`href="${p.path}"`);
    expect(html).toContain('href="/_twin/ui" aria-current="page"');
  });

  it("says when there is no pool yet", async () => {
    const { html } = await get("/_twin/ui");
    expect(html).toContain("No pools yet");
  });

  it("shows a pool's users, app clients, groups and domains", async () => {
    const { poolId, clientId, username } = await world();
    const { res, html } = await get(`/_twin/ui/pools/${poolId}`);
    expect(res.status).toBe(200);
    expect(html).toContain("ann@example.com");
    expect(html).toContain(`href="/_twin/ui/pools/${poolId}/users/${username}"`);
    expect(html).toContain("CONFIRMED");
    expect(html).toContain(clientId);
    expect(html).toContain("ALLOW_USER_PASSWORD_AUTH");
    expect(html).toContain("The admins");
    expect(html).toContain("console-");
    expect(html).toContain("email as username");
  });

  it("finds users by part of their email, and lists a group's members", async () => {
    const { poolId } = await world();
    await call(twin, "AdminCreateUser", {
      UserPoolId: poolId,
      Username: "bob@example.com",
      MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: "bob@example.com" }],
    });
    const bob = (await get(`/_twin/ui/pools/${poolId}?filter=BOB`)).html;
    expect(bob).toContain("bob@example.com");
    expect(bob).not.toContain("ann@example.com");
    expect(bob).toContain("FORCE_CHANGE_PASSWORD");
    const admins = (await get(`/_twin/ui/pools/${poolId}?filter=group%3Aadmins`)).html;
    expect(admins).toContain("ann@example.com");
    expect(admins).not.toContain("bob@example.com");
  });

  it("shows a user: attributes, groups, MFA, sessions and the messages sent", async () => {
    const { poolId, clientId, username } = await world();
    await signIn(clientId);
    const { res, html } = await get(`/_twin/ui/pools/${poolId}/users/${username}`);
    expect(res.status).toBe(200);
    expect(html).toContain("<code>email</code>");
    expect(html).toContain("admins");
    expect(html).toContain("Sessions (1)");
    expect(html).toContain("Messages sent (1)");
    expect(html).toContain("SignUp");
    expect(html).toContain("No devices.");
  });

  it("answers 404 pages for a pool, user or page that is not there", async () => {
    const { poolId } = await world();
    for (const path of [
      "/_twin/ui/pools/us-east-1_nothere",
      `/_twin/ui/pools/${poolId}/users/nobody`,
      "/_twin/ui/nope",
    ]) {
      const { res, html } = await get(path);
      expect(res.status, path).toBe(404);
      expect(html).toContain("Not found");
    }
  });

  it("escapes what a caller chose (an attribute's value, a filter)", async () => {
    const { poolId, username } = await world();
    await call(twin, "AdminUpdateUserAttributes", {
      UserPoolId: poolId,
      Username: username,
      UserAttributes: [{ Name: "name", Value: "<script>alert(1)</script>&" }],
    });
    const { html } = await get(`/_twin/ui/pools/${poolId}/users/${username}`);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&amp;");
    expect(html).not.toContain("<script>alert");
    const filtered = (await get(`/_twin/ui/pools/${poolId}?filter=${encodeURIComponent('"><script>x</script>')}`)).html;
    expect(filtered).not.toContain("<script>x");
    expect(filtered).toContain("&quot;&gt;&lt;script&gt;");
  });

  it("sends every page with a nonce CSP, no framing and no caching", async () => {
    const { res, html } = await get("/_twin/ui/inbox");
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("cache-control")).toBe("no-store");
    // Pages without a live view carry no script.
    expect((await get("/_twin/ui/clock")).html).not.toContain("<script");
  });
});

describe("the inbox", () => {
  it("lists the codes sent, newest first, filtered by pool", async () => {
    const { poolId } = await world();
    await world("Second");
    const all = (await get("/_twin/ui/inbox")).html;
    const code = twin.services.inbox.list({ userPoolId: poolId })[0]!.code!;
    expect(all).toContain(code);
    expect(all.match(/data-row="message"/g)).toHaveLength(2);
    const one = (await get(`/_twin/ui/inbox?userPoolId=${poolId}`)).html;
    expect(one.match(/data-row="message"/g)).toHaveLength(1);
    // The stream resumes after the newest message the page shows.
    expect(one).toContain(
      `data-live="/_twin/ui/inbox/events?userPoolId=${poolId}&amp;after=${twin.services.inbox.lastSeq}"`,
    );
  });

  it("streams each new message as a row (Server-Sent Events)", async () => {
    const { clientId } = await world();
    const res = await twin.app.request("/_twin/ui/inbox/events");
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reading = readStream(res, "bob@example.com");
    const signUp = await call(twin, "SignUp", {
      ClientId: clientId,
      Username: "bob@example.com",
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: "bob@example.com" }],
    });
    expect(signUp.status).toBe(200);
    const text = await reading;
    const code = twin.services.inbox.list().at(-1)!.code!;
    expect(text).toContain("event: row");
    expect(text).toContain(code);
    expect(text).toContain('data: <tr data-row="message">');
    expect(text).toMatch(/\nid: \d+\n/);
  });

  it("clears the inbox, or one pool's messages, with a same-origin POST", async () => {
    const { poolId } = await world();
    await world("Second");
    const res = await post("/_twin/ui/inbox/clear", { userPoolId: poolId });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/_twin/ui/inbox?userPoolId=${poolId}&cleared=1`);
    expect(twin.services.inbox.list()).toHaveLength(1);
    await post("/_twin/ui/inbox/clear", {});
    expect(twin.services.inbox.list()).toHaveLength(0);
    expect((await get("/_twin/ui/inbox?cleared=1")).html).toContain("Cleared 1 messages.");
  });

  /** An invitation (a temporary password by email) to `email` in the pool: one inbox message. */
  async function invite(poolId: string, email: string) {
    const res = await call(twin, "AdminCreateUser", {
      UserPoolId: poolId,
      Username: email,
      DesiredDeliveryMediums: ["EMAIL"],
      UserAttributes: [{ Name: "email", Value: email }],
    });
    expect(res.status).toBe(200);
  }

  it("sends the messages missed since Last-Event-ID first, of the pool it shows, on a reconnect", async () => {
    const { poolId } = await world();
    const other = await world("Second");
    const seen = twin.services.inbox.lastSeq;
    // While the stream is down: an invitation in this pool and one in another.
    await invite(poolId, "missed@example.com");
    await invite(other.poolId, "elsewhere@example.com");
    // The page's ?after= is older: Last-Event-ID, what the browser last got, wins.
    const res = await twin.app.request(`/_twin/ui/inbox/events?userPoolId=${poolId}&after=0`, {
      headers: { "last-event-id": String(seen) },
    });
    const reading = readStream(res, "later@example.com");
    await invite(poolId, "later@example.com");
    const text = await reading;
    const ids = [...text.matchAll(/\nid: (\d+)\n/g)].map((m) => Number(m[1]));
    expect(ids).toEqual([seen + 1, seen + 3]);
    expect(text.indexOf("missed@example.com")).toBeGreaterThan(0);
    expect(text.indexOf("missed@example.com")).toBeLessThan(text.indexOf("later@example.com"));
    expect(text).not.toContain("elsewhere@example.com");
  });

  it("replays from the page's ?after= on the first connect, and nothing without it", async () => {
    const { poolId } = await world();
    const before = twin.services.inbox.lastSeq;
    await invite(poolId, "early@example.com");
    const resumed = await readStream(
      await twin.app.request(`/_twin/ui/inbox/events?after=${before}`),
      "early@example.com",
    );
    expect(resumed).toContain(`id: ${before + 1}`);
    // A bare connect (or an id that is not a number) replays nothing: only the opening comment.
    for (const headers of [{}, { "last-event-id": "x1" }] as Record<string, string>[]) {
      const res = await twin.app.request("/_twin/ui/inbox/events", { headers });
      expect(await readStream(res, ": live\n\n")).not.toContain("event: row");
    }
  });
});

describe("the request log", () => {
  it("lists the API calls with their status and error type", async () => {
    const { clientId } = await world();
    await call(twin, "InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "ann@example.com", PASSWORD: "wrong-Passw0rd!" },
    });
    const { html } = await get("/_twin/ui/requests");
    expect(html).toContain("SignUp");
    expect(html).toContain("NotAuthorizedException");
    expect(html).toContain(`data-live="/_twin/ui/requests/events?after=${twin.requestLog.lastSeq}"`);
  });

  it("streams new requests, and what came after Last-Event-ID first", async () => {
    const { poolId } = await world();
    const last = twin.requestLog.entries().at(-1)!.seq;
    await call(twin, "DescribeUserPool", { UserPoolId: poolId });
    const res = await twin.app.request("/_twin/ui/requests/events", { headers: { "last-event-id": String(last) } });
    const reading = readStream(res, "ListUsers");
    await call(twin, "ListUsers", { UserPoolId: poolId });
    const text = await reading;
    expect(text).toContain("DescribeUserPool");
    expect(text.indexOf("DescribeUserPool")).toBeLessThan(text.indexOf("ListUsers"));
    expect(text).toMatch(/\nid: \d+\n/);
  });
});

describe("the clock", () => {
  it("shows the emulator's time and moves it by the form's amount", async () => {
    expect((await get("/_twin/ui/clock")).html).toContain("2026-01-01 12:00:00 UTC");
    const res = await post("/_twin/ui/clock", { amount: "2", unit: "3600" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/_twin/ui/clock?moved=7200");
    expect(twin.services.clock.offsetSeconds).toBe(7200);
    const { html } = await get("/_twin/ui/clock?moved=7200");
    expect(html).toContain("2026-01-01 14:00:00 UTC");
    expect(html).toContain("Moved the clock by +2 h");
    await post("/_twin/ui/clock", { amount: "-30", unit: "60" });
    expect(twin.services.clock.offsetSeconds).toBe(5400);
  });

  it("refuses an amount that is not a number, an unknown unit, and a move out of 1970-9999 (400)", async () => {
    for (const fields of [
      { amount: "soon" },
      { amount: "" },
      { amount: "1", unit: "7" },
      { amount: "1e12", unit: "86400" },
    ] as Record<string, string>[]) {
      const res = await post("/_twin/ui/clock", fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toContain('class="error"');
    }
    expect(twin.services.clock.offsetSeconds).toBe(0);
  });
});

describe("the token decoder", () => {
  async function decode(token: string) {
    const res = await post("/_twin/ui/tokens", { token });
    expect(res.status).toBe(200);
    const html = await res.text();
    return { html, verdict: /data-verdict="([a-z]+)"/.exec(html)?.[1] };
  }

  it("verifies access and id tokens against the pool's keys, on the emulator's clock", async () => {
    const { clientId } = await world();
    const tokens = await signIn(clientId);
    const access = await decode(tokens.AccessToken);
    expect(access.verdict).toBe("valid");
    expect(access.html).toContain("the pool&#39;s access token key");
    expect(access.html).toContain("&quot;token_use&quot;: &quot;access&quot;");
    expect(access.html).toContain("Expires in 1 h");
    const id = await decode(`Bearer ${tokens.IdToken}`);
    expect(id.verdict).toBe("valid");
    expect(id.html).toContain("the pool&#39;s id token key");
  });

  it("says a changed token's signature fails", async () => {
    const { clientId } = await world();
    const [h, p, s] = (await signIn(clientId)).AccessToken.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, username: "mallory" })).toString("base64url");
    const { html, verdict } = await decode(`${h}.${forged}.${s}`);
    expect(verdict).toBe("invalid");
    expect(html).toContain("the token was changed after it was signed");
    expect(html).toContain("mallory");
  });

  it("says a token has expired once the clock passes its exp, and names a signed-out session", async () => {
    const { clientId } = await world();
    const tokens = await signIn(clientId);
    twin.services.clock.advance(3601);
    const late = await decode(tokens.AccessToken);
    expect(late.verdict).toBe("invalid");
    expect(late.html).toContain("Expired 1 s ago");
    twin.services.clock.advance(-3601);
    await call(twin, "GlobalSignOut", { AccessToken: tokens.AccessToken });
    const out = await decode(tokens.AccessToken);
    expect(out.verdict).toBe("invalid");
    expect(out.html).toContain("Cognito would refuse this token: session");
  });

  it("recognises the emulator's refresh tokens, and says what it cannot read", async () => {
    const { clientId } = await world();
    const tokens = await signIn(clientId);
    expect((await decode(tokens.RefreshToken)).verdict).toBe("valid");
    for (const junk of ["not a token", "a.b.c", "x".repeat(20_000), "a.b.c.d.e"])
      expect((await decode(junk)).verdict, junk.slice(0, 20)).toBe("unreadable");
  });

  it("says when no pool of this emulator issued the token", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "RS256", kid: "k" })).toString("base64url");
    const body = Buffer.from(
      JSON.stringify({ iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Elsewhere", exp: 1 }),
    ).toString("base64url");
    const { html, verdict } = await decode(`${header}.${body}.c2ln`);
    expect(verdict).toBe("invalid");
    expect(html).toContain("no pool us-east-1_Elsewhere in this emulator");
  });

  it("makes no keys for a pool that never signed a token", async () => {
    const created = await call(twin, "CreateUserPool", { PoolName: "Keyless" });
    const poolId = (created.body.UserPool as { Id: string }).Id;
    const header = Buffer.from(JSON.stringify({ alg: "RS256", kid: "k" })).toString("base64url");
    const body = Buffer.from(JSON.stringify({ iss: `https://cognito-idp.us-east-1.amazonaws.com/${poolId}` })).toString(
      "base64url",
    );
    const { html } = await decode(`${header}.${body}.c2ln`);
    expect(html).toContain("has not signed any token yet");
    expect(twin.services.store.getPool(poolId)!.keys).toBeUndefined();
  });
});

describe("reset", () => {
  it("asks first, then resets as POST /_twin/reset does", async () => {
    await world();
    twin.services.clock.advance(60);
    const confirm = (await get("/_twin/ui/reset")).html;
    expect(confirm).toContain("This drops every pool (1), user (1), message (1)");
    // Without the form's confirmation nothing happens.
    const unconfirmed = await post("/_twin/ui/reset", {});
    expect(unconfirmed.headers.get("location")).toBe("/_twin/ui/reset");
    expect([...twin.services.store.listPools()]).toHaveLength(1);
    const res = await post("/_twin/ui/reset", { confirm: "reset" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/_twin/ui?reset=1");
    expect([...twin.services.store.listPools()]).toHaveLength(0);
    expect(twin.services.inbox.list()).toHaveLength(0);
    expect(twin.services.clock.offsetSeconds).toBe(0);
    expect((await get("/_twin/ui?reset=1")).html).toContain("The emulator was reset.");
  });
});

describe("bad input", () => {
  it("answers malformed paths, queries, forms and tokens with 4xx or a page, never a 5xx", async () => {
    const form = (body: string, type = "application/x-www-form-urlencoded") => ({
      method: "POST",
      headers: { ...SAME_ORIGIN, "content-type": type },
      body,
    });
    const odd = `${Buffer.from('{"alg":"RS256","kid":{"a":1}}').toString("base64url")}.${Buffer.from('{"iss":["x"],"exp":"soon","iat":{}}').toString("base64url")}.x`;
    const cases: [string, RequestInit | undefined, number][] = [
      ["/_twin/ui/pools/%E0%A4%A", undefined, 404],
      ["/_twin/ui/pools/x/users/%", undefined, 404],
      ["/_twin/ui/inbox?userPoolId=%", undefined, 200],
      ["/_twin/ui/clock?moved=1e400", undefined, 200],
      ["/_twin/ui/login?next=%", undefined, 303],
      ["/_twin/ui/tokens", form('{"token":1}', "application/json"), 200],
      ["/_twin/ui/tokens", form("garbage", "multipart/form-data"), 400],
      ["/_twin/ui/tokens", form(`token=${encodeURIComponent(odd)}`), 200],
      ["/_twin/ui/tokens", form("token=eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0."), 200],
      ["/_twin/ui/clock", form("amount=%ZZ&unit=1"), 400],
      ["/_twin/ui/clock", { method: "POST", headers: SAME_ORIGIN }, 400],
      ["/_twin/ui/reset", form("confirm=reset", "text/plain"), 303],
      ["/_twin/ui/inbox/clear", { method: "PUT", headers: SAME_ORIGIN }, 404],
    ];
    for (const [path, init, status] of cases) {
      const res = await twin.app.request(path, init);
      expect(res.status, `${init?.method ?? "GET"} ${path}`).toBe(status);
    }
    // A text/plain "reset" is not the form's confirmation: nothing was reset.
    expect(twin.services.clock.offsetSeconds).toBe(0);
  });
});

describe("who may use the console", () => {
  it("refuses POSTs from another origin, another port included, and POSTs that say nowhere (403)", async () => {
    await world();
    for (const headers of [
      { origin: "http://evil.example" },
      { origin: "http://localhost:3000" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site", origin: "http://localhost" },
      { origin: "null" },
      {},
    ] as Record<string, string>[]) {
      const res = await post("/_twin/ui/reset", { confirm: "reset" }, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    expect([...twin.services.store.listPools()]).toHaveLength(1);
    // A browser's own POST: Origin alone (older browsers) or Sec-Fetch-Site alone both do.
    expect((await post("/_twin/ui/clock", { amount: "1" }, { origin: "http://localhost" })).status).toBe(303);
    expect((await post("/_twin/ui/clock", { amount: "1" }, { "sec-fetch-site": "same-origin" })).status).toBe(303);
  });

  it("keeps the test controls' JSON-only rule everywhere else under /_twin", async () => {
    const res = await post("/_twin/reset", {});
    expect(res.status).toBe(415);
  });

  describe("with a control token", () => {
    const TOKEN = "console-secret-token";
    beforeEach(async () => {
      await twin.close();
      twin = await createApp({ logLevel: "silent", controlToken: TOKEN }, { clock });
    });

    it("shows the sign-in page (401) without the token, and the pages with the header", async () => {
      const { res, html } = await get("/_twin/ui/inbox");
      expect(res.status).toBe(401);
      expect(html).toContain("Sign in to the console");
      expect(html).toContain('name="next" value="/_twin/ui/inbox"');
      expect((await get("/_twin/ui/inbox", { "x-twin-control-token": TOKEN })).res.status).toBe(200);
      expect((await get("/_twin/ui/inbox", { authorization: `Bearer ${TOKEN}` })).res.status).toBe(200);
      expect((await get("/_twin/ui/inbox", { "x-twin-control-token": "wrong" })).html).toContain("does not match");
    });

    it("?token= sets an HttpOnly SameSite=Strict cookie for /_twin/ui and drops the token from the address", async () => {
      const { res } = await get(`/_twin/ui/clock?token=${TOKEN}&x=1`);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/_twin/ui/clock?x=1");
      const cookie = res.headers.get("set-cookie") ?? "";
      expect(cookie).toContain(`${CONSOLE_COOKIE}=${consoleCookieValue(TOKEN)}`);
      expect(cookie).toContain("HttpOnly");
      expect(cookie).toContain("SameSite=Strict");
      expect(cookie).toContain("Path=/_twin/ui");
      expect(cookie).not.toContain(TOKEN);
      const session = `${CONSOLE_COOKIE}=${consoleCookieValue(TOKEN)}`;
      expect((await get("/_twin/ui/clock", { cookie: session })).res.status).toBe(200);
      // The cookie opens the console only, not the other test controls.
      expect((await get("/_twin/messages", { cookie: session })).res.status).toBe(401);
      expect((await get("/_twin/ui/clock", { cookie: `${CONSOLE_COOKIE}=forged` })).res.status).toBe(401);
      expect((await get("/_twin/ui?token=wrong")).res.status).toBe(401);
    });

    it("signs in with the form, back to the page asked for (never another site), and signs out", async () => {
      const wrong = await post("/_twin/ui/login", { token: "nope", next: "/_twin/ui/inbox" });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toContain("not this emulator");
      const ok = await post("/_twin/ui/login", { token: TOKEN, next: "/_twin/ui/inbox" });
      expect(ok.status).toBe(303);
      expect(ok.headers.get("location")).toBe("/_twin/ui/inbox");
      expect(ok.headers.get("set-cookie")).toContain(consoleCookieValue(TOKEN));
      for (const next of ["https://evil.example/", "//evil.example", "/_twin/state", "/_twin/ui\\..\\x"]) {
        const res = await post("/_twin/ui/login", { token: TOKEN, next });
        expect(res.headers.get("location"), next).toBe("/_twin/ui");
      }
      // A cross-origin sign-in form is refused like any other POST.
      expect((await post("/_twin/ui/login", { token: TOKEN }, { origin: "http://evil.example" })).status).toBe(403);
      const session = `${CONSOLE_COOKIE}=${consoleCookieValue(TOKEN)}`;
      const out = await post("/_twin/ui/logout", {}, { ...SAME_ORIGIN, cookie: session });
      expect(out.status).toBe(303);
      expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
      // Signing out needs a session too.
      expect((await post("/_twin/ui/logout", {})).status).toBe(401);
    });

    it("POSTs need the token or the cookie as well as the same origin", async () => {
      expect((await post("/_twin/ui/clock", { amount: "1" })).status).toBe(401);
      const session = `${CONSOLE_COOKIE}=${consoleCookieValue(TOKEN)}`;
      expect((await post("/_twin/ui/clock", { amount: "1" }, { ...SAME_ORIGIN, cookie: session })).status).toBe(303);
      expect(
        (await post("/_twin/ui/clock", { amount: "1" }, { origin: "http://evil.example", cookie: session })).status,
      ).toBe(403);
    });
  });
});
