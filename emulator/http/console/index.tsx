/** @jsxImportSource hono/jsx */
// The web console at /_twin/ui (docs/web-console.md): pools, their clients, users, groups and
// domains; a user's page; the inbox and the request log, live; the clock; a token decoder; reset.
// It reads through the store's public functions and changes state only through what the test
// controls do (move the clock, clear the inbox, reset). Who may use it: auth.tsx, run by the guard.

import type { Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import type { Services } from "../../context.js";
import type { InboxMessage } from "../../services/inbox.js";
import type { RequestLog, RequestLogEntry } from "../../services/request-log.js";
import type { StoredUser } from "../../store/types.js";
import { issuerFor } from "../../tokens/issuer.js";
import { clockMoveRefusal } from "../twin-routes.js";
import { consoleCookieValue, loginPage, safeNext, setConsoleCookie } from "./auth.js";
import { faultPages } from "./faults.js";
import { CONSOLE_BASE, consoleHeaders, durationText, Layout, newNonce } from "./layout.js";
import { LiveScript, liveRows, resumeFrom } from "./live.js";
import {
  ClockPage,
  InboxPage,
  InboxRow,
  Missing,
  PoolPage,
  PoolsPage,
  RequestRow,
  RequestsPage,
  ResetPage,
  ROW_LIMIT,
  TokensPage,
  UserPage,
} from "./pages.js";
import { inspectToken, MAX_TOKEN_CHARS } from "./token-check.js";

/** The request log; a Services built without one (an older test double) shows none. */
function requestLogOf(services: Services): RequestLog | undefined {
  return (services as { readonly requestLog?: RequestLog }).requestLog;
}

/** `http://host:port` as the browser reached the console. */
function baseUrlOf(c: Context): string {
  return `${new URL(c.req.url).protocol}//${c.req.header("host") ?? new URL(c.req.url).host}`;
}

/** The request's form fields, or undefined when the body is not a form that can be read. */
async function readForm(c: Context): Promise<Record<string, unknown> | undefined> {
  try {
    return await c.req.parseBody();
  } catch {
    return undefined;
  }
}

/** The answer to a body that is not a readable form (a 400, never a 500). */
function unreadableForm(c: Context): Response {
  return c.json(
    {
      message:
        "The console's forms are sent as application/x-www-form-urlencoded or multipart/form-data; this body is neither.",
    },
    400,
  );
}

/** A form field as text (a file or a missing field is ""). */
function field(form: Record<string, unknown>, name: string): string {
  const v = form[name];
  return typeof v === "string" ? v : "";
}

/** Users whose username, email or phone holds `filter`; `group:<name>` lists a group's members. */
function findUsers(services: Services, poolId: string, filter: string): { users: StoredUser[]; matched: number } {
  const { store } = services;
  let all: Iterable<StoredUser>;
  if (filter.startsWith("group:")) all = store.usersInGroup(poolId, filter.slice("group:".length));
  else all = store.listUsers(poolId);
  const needle = filter.startsWith("group:") ? "" : filter.trim().toLowerCase();
  const users: StoredUser[] = [];
  let matched = 0;
  for (const u of all) {
    if (
      needle &&
      !u.username.toLowerCase().includes(needle) &&
      !u.attributes.some(
        (a) => (a.Name === "email" || a.Name === "phone_number") && a.Value?.toLowerCase().includes(needle),
      )
    )
      continue;
    matched++;
    if (users.length < ROW_LIMIT) users.push(u);
  }
  return { users, matched };
}

/**
 * Mounts the console's routes. `control.reset` is the emulator's reset (the one
 * `POST /_twin/reset` runs).
 */
export function consoleRoutes(app: Hono, services: Services, control: { reset(): Promise<void> }): void {
  const { store, inbox, clock } = services;
  const signedIn = services.config.controlToken !== undefined;

  /** Answers a page in the console's frame, with its headers and (for live pages) the script. */
  function page(
    c: Context,
    title: string,
    current: string | undefined,
    content: Child,
    live = false,
  ): Response | Promise<Response> {
    const nonce = newNonce();
    consoleHeaders(c, nonce);
    return c.html(
      <Layout
        title={title}
        current={current}
        nonce={nonce}
        clock={{ now: clock.now(), offsetSeconds: clock.offsetSeconds }}
        signedIn={signedIn}
      >
        {content}
        {live ? <LiveScript nonce={nonce} /> : null}
      </Layout>,
    );
  }

  function notFound(c: Context, what: string): Response | Promise<Response> {
    c.status(404);
    return page(c, "Not found", undefined, <Missing what={what} />);
  }

  // Pools.
  app.get(CONSOLE_BASE, (c) => {
    const pools = [...store.listPools()]
      .sort((a, b) => (b.pool.CreationDate ?? 0) - (a.pool.CreationDate ?? 0))
      .map((pool) => ({
        pool,
        users: store.countUsers(pool.id),
        clients: store.listClients(pool.id).length,
        groups: store.listGroups(pool.id).length,
      }));
    const notice = c.req.query("reset") !== undefined ? "The emulator was reset." : undefined;
    return page(c, "Pools", CONSOLE_BASE, <PoolsPage pools={pools} notice={notice} />);
  });
  app.get(`${CONSOLE_BASE}/`, (c) => c.redirect(CONSOLE_BASE, 301));

  app.get(`${CONSOLE_BASE}/pools/:poolId`, (c) => {
    const pool = store.getPool(c.req.param("poolId"));
    if (!pool) return notFound(c, `There is no pool ${c.req.param("poolId")}.`);
    const filter = (c.req.query("filter") ?? "").slice(0, 200);
    const { users, matched } = findUsers(services, pool.id, filter);
    const groups = store
      .listGroups(pool.id)
      .map((group) => ({ group, members: store.usersInGroup(pool.id, group.group.GroupName ?? "").length }));
    return page(
      c,
      pool.pool.Name ?? pool.id,
      CONSOLE_BASE,
      <PoolPage
        pool={pool}
        users={users}
        totalUsers={filter ? matched : store.countUsers(pool.id)}
        filter={filter}
        clients={store.listClients(pool.id)}
        groups={groups}
        issuer={issuerFor(services, pool.id, baseUrlOf(c))}
      />,
    );
  });

  app.get(`${CONSOLE_BASE}/pools/:poolId/users/:username`, (c) => {
    const pool = store.getPool(c.req.param("poolId"));
    if (!pool) return notFound(c, `There is no pool ${c.req.param("poolId")}.`);
    const user = store.getUser(pool.id, c.req.param("username"));
    if (!user) return notFound(c, `There is no user ${c.req.param("username")} in ${pool.id}.`);
    return page(
      c,
      user.username,
      CONSOLE_BASE,
      <UserPage
        pool={pool}
        user={user}
        sessions={store.sessionsOf(pool.id, user.sub)}
        messages={inbox.list({ userPoolId: pool.id, username: user.username })}
        now={clock.now()}
      />,
    );
  });

  // The inbox, live.
  app.get(`${CONSOLE_BASE}/inbox`, (c) => {
    const poolId = c.req.query("userPoolId") || undefined;
    const all = inbox.list({ userPoolId: poolId });
    const messages = all.slice(Math.max(0, all.length - ROW_LIMIT));
    // The stream resumes after the newest message shown here: one sent while the page loads is not lost.
    const live = `${CONSOLE_BASE}/inbox/events?${poolId ? `userPoolId=${encodeURIComponent(poolId)}&` : ""}after=${inbox.lastSeq}`;
    const cleared = c.req.query("cleared");
    return page(
      c,
      "Inbox",
      `${CONSOLE_BASE}/inbox`,
      <InboxPage
        messages={messages}
        total={all.length}
        pools={[...store.listPools()]}
        poolId={poolId}
        live={live}
        notice={cleared !== undefined && /^\d+$/.test(cleared) ? `Cleared ${cleared} messages.` : undefined}
      />,
      true,
    );
  });

  app.get(`${CONSOLE_BASE}/inbox/events`, (c) => {
    const poolId = c.req.query("userPoolId") || undefined;
    // A reconnecting EventSource sends the last id it saw: what came after it is sent first.
    const after = resumeFrom(c);
    const row = (m: InboxMessage, seq: number) => ({ id: seq, html: String(<InboxRow m={m} />) });
    return liveRows(
      c,
      () => (after === undefined ? [] : inbox.since(after, { userPoolId: poolId }).map((m) => row(m.message, m.seq))),
      (send) =>
        inbox.subscribe((m, seq) => {
          if (poolId === undefined || m.userPoolId === poolId) send(row(m, seq));
        }),
    );
  });

  app.post(`${CONSOLE_BASE}/inbox/clear`, async (c) => {
    const form = await readForm(c);
    if (!form) return unreadableForm(c);
    const poolId = field(form, "userPoolId") || undefined;
    const deleted = inbox.clear({ userPoolId: poolId });
    return c.redirect(
      `${CONSOLE_BASE}/inbox?${poolId ? `userPoolId=${encodeURIComponent(poolId)}&` : ""}cleared=${deleted}`,
      303,
    );
  });

  // The request log, live.
  app.get(`${CONSOLE_BASE}/requests`, (c) => {
    const log = requestLogOf(services);
    const entries = log?.entries({ limit: ROW_LIMIT });
    return page(
      c,
      "Requests",
      `${CONSOLE_BASE}/requests`,
      <RequestsPage entries={entries} live={`${CONSOLE_BASE}/requests/events?after=${log?.lastSeq ?? 0}`} />,
      true,
    );
  });

  app.get(`${CONSOLE_BASE}/requests/events`, (c) => {
    const log = requestLogOf(services);
    if (!log) return c.text("This emulator keeps no request log.", 404);
    // A reconnecting EventSource sends the last id it saw: what came after it is sent first.
    const after = resumeFrom(c);
    const row = (e: RequestLogEntry) => ({ id: e.seq, html: String(<RequestRow e={e} />) });
    return liveRows(
      c,
      () => (after === undefined ? [] : log.entries({ after }).map(row)),
      (send) => log.subscribe((e) => send(row(e))),
    );
  });

  // The clock.
  app.get(`${CONSOLE_BASE}/clock`, (c) => {
    const moved = Number(c.req.query("moved"));
    const notice =
      c.req.query("moved") !== undefined && Number.isFinite(moved)
        ? `Moved the clock by ${moved < 0 ? "-" : "+"}${durationText(moved)}.`
        : undefined;
    return page(
      c,
      "Clock",
      `${CONSOLE_BASE}/clock`,
      <ClockPage now={clock.now()} offsetSeconds={clock.offsetSeconds} notice={notice} />,
    );
  });

  app.post(`${CONSOLE_BASE}/clock`, async (c) => {
    const form = await readForm(c);
    if (!form) return unreadableForm(c);
    const amount = Number(field(form, "amount"));
    const unit = Number(field(form, "unit") || "1");
    const seconds = amount * unit;
    let error: string | undefined;
    if (field(form, "amount").trim() === "" || !Number.isFinite(amount) || ![1, 60, 3600, 86400].includes(unit))
      error = "Give the amount as a number, and a unit of seconds, minutes, hours or days.";
    else error = clockMoveRefusal(clock, seconds);
    if (error !== undefined) {
      c.status(400);
      return page(
        c,
        "Clock",
        `${CONSOLE_BASE}/clock`,
        <ClockPage now={clock.now()} offsetSeconds={clock.offsetSeconds} error={error} />,
      );
    }
    clock.advance(seconds);
    return c.redirect(`${CONSOLE_BASE}/clock?moved=${seconds}`, 303);
  });

  // The token decoder: POST, so a pasted token stays out of the address bar and history.
  app.get(`${CONSOLE_BASE}/tokens`, (c) => page(c, "Tokens", `${CONSOLE_BASE}/tokens`, <TokensPage token="" />));

  app.post(`${CONSOLE_BASE}/tokens`, async (c) => {
    const form = await readForm(c);
    if (!form) return unreadableForm(c);
    const token = field(form, "token").slice(0, MAX_TOKEN_CHARS + 1);
    const report = await inspectToken(services, token, baseUrlOf(c));
    return page(c, "Tokens", `${CONSOLE_BASE}/tokens`, <TokensPage token={token} report={report} />);
  });

  // Reset: a page that says what goes, then the POST.
  app.get(`${CONSOLE_BASE}/reset`, (c) => {
    const pools = [...store.listPools()];
    return page(
      c,
      "Reset",
      `${CONSOLE_BASE}/reset`,
      <ResetPage
        pools={pools.length}
        users={pools.reduce((n, p) => n + store.countUsers(p.id), 0)}
        messages={inbox.list().length}
        seeded={services.config.seed !== undefined}
      />,
    );
  });

  app.post(`${CONSOLE_BASE}/reset`, async (c) => {
    const form = await readForm(c);
    if (!form) return unreadableForm(c);
    if (field(form, "confirm") !== "reset") return c.redirect(`${CONSOLE_BASE}/reset`, 303);
    await control.reset();
    return c.redirect(`${CONSOLE_BASE}?reset=1`, 303);
  });

  // Fault rules (faults.tsx, docs/faults.md).
  faultPages(app, services, page);

  // Signing in and out, when there is a control token (the guard lets the sign-in POST through).
  app.get(`${CONSOLE_BASE}/login`, (c) => c.redirect(safeNext(c.req.query("next")), 303));

  app.post(`${CONSOLE_BASE}/login`, async (c) => {
    const token = services.config.controlToken;
    const form = await readForm(c);
    if (!form) return unreadableForm(c);
    const next = safeNext(field(form, "next"));
    if (token === undefined) return c.redirect(next, 303);
    const offered = field(form, "token");
    if (consoleCookieValue(offered) !== consoleCookieValue(token))
      return loginPage(c, next, "That is not this emulator's control token.");
    setConsoleCookie(c, consoleCookieValue(token), services.config.publicUrl);
    return c.redirect(next, 303);
  });

  app.post(`${CONSOLE_BASE}/logout`, (c) => {
    setConsoleCookie(c, "", services.config.publicUrl);
    return c.redirect(CONSOLE_BASE, 303);
  });

  app.all(`${CONSOLE_BASE}/*`, (c) => notFound(c, `The console has no page ${c.req.path}.`));
}
