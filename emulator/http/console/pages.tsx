/** @jsxImportSource hono/jsx */
// The web console's pages as JSX components: each takes what it shows, read by index.tsx through
// the store's public functions; none changes anything. JSX escapes every value.

import type { FC } from "hono/jsx";
import type { InboxMessage } from "../../services/inbox.js";
import type { RequestLogEntry } from "../../services/request-log.js";
import type { StoredClient, StoredGroup, StoredPool, StoredSession, StoredUser } from "../../store/types.js";
import { Badge, Facts, FilterForm, Labelled, Notices, PostButton, Table } from "./components.js";
import { CONSOLE_BASE, durationText, shortTime } from "./layout.js";
import type { TokenReport } from "./token-check.js";

/** How many rows a table shows before it says how many more there are. */
export const ROW_LIMIT = 200;

/** The console path of a pool's page. */
function poolPath(poolId: string): string {
  return `${CONSOLE_BASE}/pools/${encodeURIComponent(poolId)}`;
}

/** The console path of a user's page. */
function userPath(poolId: string, username: string): string {
  return `${poolPath(poolId)}/users/${encodeURIComponent(username)}`;
}

/** A Wire date (epoch seconds) or epoch ms, on the emulator's clock. */
function seconds(value: unknown): string {
  return typeof value === "number" ? shortTime(value * 1000) : "";
}

function attribute(user: StoredUser, name: string): string | undefined {
  return user.attributes.find((a) => a.Name === name)?.Value;
}

/** The user's MFA factors that are on, the preferred one first. */
function mfaFactors(user: StoredUser): string[] {
  const on: string[] = [];
  if (user.mfa.sms) on.push("SMS");
  if (user.mfa.totp) on.push("TOTP");
  if (user.mfa.email) on.push("Email");
  if (user.mfa.webAuthn) on.push("Passkey");
  const preferred = { SMS_MFA: "SMS", SOFTWARE_TOKEN_MFA: "TOTP", EMAIL_OTP: "Email" }[user.mfa.preferred ?? "SMS_MFA"];
  if (user.mfa.preferred && on.includes(preferred)) return [preferred, ...on.filter((f) => f !== preferred)];
  return on;
}

/** A user status as a coloured pill. */
const Status: FC<{ user: StoredUser }> = ({ user }) => (
  <>
    <Badge
      tone={
        user.status === "CONFIRMED"
          ? "ok"
          : user.status === "UNCONFIRMED" || user.status === "FORCE_CHANGE_PASSWORD"
            ? "warn"
            : "bad"
      }
    >
      {user.status}
    </Badge>
    {user.enabled ? null : (
      <>
        {" "}
        <Badge tone="bad">disabled</Badge>
      </>
    )}
  </>
);

/** "Showing 200 of 523." under a cut table. */
const More: FC<{ shown: number; total: number; what: string }> = ({ shown, total, what }) =>
  total > shown ? (
    <p class="sub">
      Showing {shown} of {total} {what}.
    </p>
  ) : null;

/** What the pools page lists of one pool. */
export interface PoolSummary {
  readonly pool: StoredPool;
  readonly users: number;
  readonly clients: number;
  readonly groups: number;
}

/** The start page: every pool. */
export const PoolsPage: FC<{ pools: PoolSummary[]; notice?: string | undefined }> = ({ pools, notice }) => (
  <>
    <h1>User pools</h1>
    <p class="sub">
      {pools.length === 0
        ? "No pools yet: create one through the API or a seed file."
        : `${pools.length} in this emulator.`}
    </p>
    <Notices notice={notice} />
    <Table
      head={["Name", "Pool id", "Users", "Clients", "Groups", "MFA", "Domain", "Created"]}
      empty="No pools."
      rows={pools.map(({ pool, users, clients, groups }) => (
        <tr>
          <td>
            <a href={poolPath(pool.id)}>{pool.pool.Name ?? pool.id}</a>
          </td>
          <td>
            <code>{pool.id}</code>
          </td>
          <td>{users}</td>
          <td>{clients}</td>
          <td>{groups}</td>
          <td>{pool.mfa.MfaConfiguration}</td>
          <td>{(pool.domains ?? []).map((d) => d.domain).join(", ")}</td>
          <td class="nowrap">{seconds(pool.pool.CreationDate)}</td>
        </tr>
      ))}
    />
  </>
);

/** What a pool's page shows. */
export interface PoolView {
  readonly pool: StoredPool;
  readonly users: StoredUser[];
  readonly totalUsers: number;
  readonly filter: string;
  readonly clients: StoredClient[];
  readonly groups: { group: StoredGroup; members: number }[];
  readonly issuer: string;
}

/** A pool: facts, users (filterable), app clients, groups, domains. */
export const PoolPage: FC<PoolView> = ({ pool, users, totalUsers, filter, clients, groups, issuer }) => {
  const p = pool.pool;
  const signIn = p.UsernameAttributes?.length
    ? `${p.UsernameAttributes.join(" or ")} as username`
    : p.AliasAttributes?.length
      ? `username, or alias ${p.AliasAttributes.join(", ")}`
      : "username";
  return (
    <>
      <p class="crumbs">
        <a href={CONSOLE_BASE}>Pools</a> /
      </p>
      <h1>{p.Name ?? pool.id}</h1>
      <p class="sub">
        <code>{pool.id}</code>
      </p>
      <Facts
        items={[
          ["Created", seconds(p.CreationDate)],
          ["Sign-in", signIn],
          ["MFA", pool.mfa.MfaConfiguration],
          ["Issuer", <code>{issuer}</code>],
          [
            "Keys",
            <>
              <a href={`/${encodeURIComponent(pool.id)}/.well-known/jwks.json`}>jwks.json</a>
              {" · "}
              <a href={`/${encodeURIComponent(pool.id)}/.well-known/openid-configuration`}>openid-configuration</a>
              {pool.keys ? "" : " (made at the first sign-in)"}
            </>,
          ],
        ]}
      />

      <h2 id="users">Users ({totalUsers})</h2>
      <FilterForm action={`${poolPath(pool.id)}#users`} button="Find">
        <Labelled id="filter" label="Find a user">
          <input id="filter" name="filter" type="search" value={filter} placeholder="username, email or phone" />
        </Labelled>
      </FilterForm>
      <Table
        head={["Username", "Status", "Email", "Phone", "Groups", "MFA", "Devices", "Created"]}
        empty={filter ? "No user matches." : "No users."}
        rows={users.map((u) => (
          <tr>
            <td>
              <a href={userPath(pool.id, u.username)}>{u.username}</a>
            </td>
            <td>
              <Status user={u} />
            </td>
            <td>
              {attribute(u, "email") ?? ""}
              {attribute(u, "email_verified") === "true" ? (
                <>
                  {" "}
                  <Badge tone="ok">verified</Badge>
                </>
              ) : null}
            </td>
            <td>{attribute(u, "phone_number") ?? ""}</td>
            <td>{u.groups.join(", ")}</td>
            <td>{mfaFactors(u).join(", ")}</td>
            <td>{(u.devices ?? []).length || ""}</td>
            <td class="nowrap">{shortTime(u.createdAt)}</td>
          </tr>
        ))}
      />
      <More shown={users.length} total={filter ? users.length : totalUsers} what="users" />

      <h2 id="clients">App clients ({clients.length})</h2>
      <Table
        head={["Name", "Client id", "Secret", "Auth flows", "OAuth", "Callback URLs"]}
        empty="No app clients."
        rows={clients.map(({ client }) => (
          <tr>
            <td>{client.ClientName ?? ""}</td>
            <td>
              <code>{client.ClientId ?? ""}</code>
            </td>
            <td>{client.ClientSecret ? "yes" : "no"}</td>
            <td>{(client.ExplicitAuthFlows ?? []).join(", ")}</td>
            <td>
              {client.AllowedOAuthFlowsUserPoolClient
                ? `${(client.AllowedOAuthFlows ?? []).join(", ")}; ${(client.AllowedOAuthScopes ?? []).join(" ")}`
                : ""}
            </td>
            <td class="wrap">{(client.CallbackURLs ?? []).join(" ")}</td>
          </tr>
        ))}
      />

      <h2 id="groups">Groups ({groups.length})</h2>
      <Table
        head={["Name", "Precedence", "Members", "Description", "Role"]}
        empty="No groups."
        rows={groups.map(({ group, members }) => (
          <tr>
            <td>
              <a
                href={`${poolPath(pool.id)}?filter=${encodeURIComponent(`group:${group.group.GroupName ?? ""}`)}#users`}
              >
                {group.group.GroupName ?? ""}
              </a>
            </td>
            <td>{group.group.Precedence ?? ""}</td>
            <td>{members}</td>
            <td>{group.group.Description ?? ""}</td>
            <td class="wrap">{group.group.RoleArn ?? ""}</td>
          </tr>
        ))}
      />

      <h2 id="domains">Domains ({(pool.domains ?? []).length})</h2>
      <Table
        head={["Domain", "Kind", "Managed login", "On this emulator"]}
        empty="No domain: the managed login pages need one."
        rows={(pool.domains ?? []).map((d) => (
          <tr>
            <td>
              <code>{d.domain}</code>
            </td>
            <td>{d.custom ? "custom" : "prefix"}</td>
            <td>{d.managedLoginVersion === 2 ? "managed login" : "classic hosted UI"}</td>
            <td>
              <code>/_domain/{d.domain}</code>
            </td>
          </tr>
        ))}
      />
    </>
  );
};

/** What a user's page shows. */
export interface UserView {
  readonly pool: StoredPool;
  readonly user: StoredUser;
  readonly sessions: StoredSession[];
  readonly messages: InboxMessage[];
  readonly now: number;
}

/** One user: state, attributes, groups, MFA, devices, passkeys, sessions and the messages sent to them. */
export const UserPage: FC<UserView> = ({ pool, user, sessions, messages, now }) => (
  <>
    <p class="crumbs">
      <a href={CONSOLE_BASE}>Pools</a> / <a href={poolPath(pool.id)}>{pool.pool.Name ?? pool.id}</a> /
    </p>
    <h1>{user.username}</h1>
    <p class="sub">
      <Status user={user} />
      {attribute(user, "email") !== undefined && attribute(user, "email") !== user.username
        ? ` ${attribute(user, "email")} · `
        : " "}
      <code>{user.sub}</code>
    </p>
    <div class="grid">
      <Facts
        items={[
          ["Created", shortTime(user.createdAt)],
          ["Updated", shortTime(user.updatedAt)],
          [
            "Password",
            user.password
              ? user.password.temporaryUntil !== undefined
                ? `temporary, until ${shortTime(user.password.temporaryUntil)}`
                : `set ${shortTime(user.password.setAt)}`
              : "none",
          ],
          ["Groups", user.groups.length ? user.groups.join(", ") : "none"],
          user.lockedUntil !== undefined &&
            user.lockedUntil > now && ["Locked", `until ${shortTime(user.lockedUntil)}`],
          user.failedSignIns > 0 && ["Failed sign-ins", user.failedSignIns],
        ]}
      />
      <Facts
        items={[
          ["MFA", mfaFactors(user).join(", ") || "none"],
          ["Preferred", user.mfa.preferred ?? "none"],
          [
            "Authenticator",
            user.mfa.totpSecret
              ? `set up${user.mfa.totpDeviceName ? ` (${user.mfa.totpDeviceName})` : ""}`
              : user.mfa.pendingTotpSecret
                ? "associated, not verified"
                : "none",
          ],
          ["Passkeys", (user.webAuthnCredentials ?? []).map((w) => w.friendlyName).join(", ") || "none"],
          [
            "Linked identities",
            (user.identities ?? []).map((i) => `${i.providerName} (${i.providerType})`).join(", ") || "none",
          ],
        ]}
      />
    </div>

    <h2>Attributes</h2>
    <Table
      head={["Name", "Value"]}
      rows={user.attributes.map((a) => (
        <tr>
          <td>
            <code>{a.Name}</code>
          </td>
          <td class="wrap">
            {a.Value ?? ""}
            {a.Name && user.pendingAttributes?.[a.Name] !== undefined ? (
              <>
                {" "}
                <Badge tone="warn">{`pending: ${user.pendingAttributes[a.Name]}`}</Badge>
              </>
            ) : null}
          </td>
        </tr>
      ))}
    />

    <h2>Devices ({(user.devices ?? []).length})</h2>
    <Table
      head={["Device key", "Name", "Remembered", "Last sign-in", "Last IP"]}
      empty="No devices."
      rows={(user.devices ?? []).map((d) => (
        <tr>
          <td>
            <code>{d.key}</code>
          </td>
          <td>{d.name ?? ""}</td>
          <td>{d.remembered ? "yes" : "no"}</td>
          <td>{shortTime(d.lastAuthenticatedAt)}</td>
          <td>{d.lastIp ?? ""}</td>
        </tr>
      ))}
    />

    <h2>Sessions ({sessions.length})</h2>
    <Table
      head={["Signed in", "Client", "Refresh token"]}
      empty="No sessions."
      rows={sessions.map((s) => (
        <tr>
          <td>{shortTime(s.authTime * 1000)}</td>
          <td>
            <code>{s.clientId}</code>
          </td>
          <td>
            {s.revoked ? (
              <Badge tone="bad">revoked</Badge>
            ) : s.refreshExpiresAt <= now ? (
              <Badge tone="warn">expired</Badge>
            ) : (
              `until ${shortTime(s.refreshExpiresAt)}`
            )}
          </td>
        </tr>
      ))}
    />

    <h2>Messages sent ({messages.length})</h2>
    <InboxTable messages={messages} />
  </>
);

/** The code (or temporary password) of a message, as it stands out in the inbox. */
const Secret: FC<{ m: InboxMessage }> = ({ m }) =>
  m.code !== undefined ? (
    <span class="code mono">{m.code}</span>
  ) : m.temporaryPassword !== undefined ? (
    <span class="code mono">{m.temporaryPassword}</span>
  ) : (
    <span class="sub">{m.sentBy ? `handed to ${m.sentBy}` : ""}</span>
  );

/** One message as a table row: also what the live view inserts (live.ts). */
export const InboxRow: FC<{ m: InboxMessage }> = ({ m }) => (
  <tr data-row="message">
    <td>
      <Secret m={m} />
    </td>
    <td class="wrap">
      {m.destination} <Badge>{m.deliveryMedium}</Badge>
    </td>
    <td>{m.reason}</td>
    <td class="nowrap">{seconds(m.createdAt)}</td>
    <td>
      <a href={userPath(m.userPoolId, m.username)}>{m.username}</a>
      <div class="sub mono">{m.userPoolId}</div>
    </td>
    <td>
      {m.message !== undefined || m.subject !== undefined ? (
        <details>
          <summary>{m.subject ?? "text"}</summary>
          <pre>{m.message ?? ""}</pre>
        </details>
      ) : null}
      {m.note ? <div class="sub">{m.note}</div> : null}
    </td>
  </tr>
);

/** Messages, newest first, the code first (what a phone shows without scrolling); `live` names the stream that adds rows. */
const InboxTable: FC<{ messages: InboxMessage[]; live?: string | undefined }> = ({ messages, live }) => (
  <Table
    head={["Code", "To", "Why", "Sent", "User", "Message"]}
    empty="Nothing sent yet."
    live={live}
    rows={[...messages].reverse().map((m) => <InboxRow m={m} />)}
  />
);

/** The inbox: every message, newest first, filtered by pool; new ones appear live. */
export const InboxPage: FC<{
  messages: InboxMessage[];
  total: number;
  pools: StoredPool[];
  poolId: string | undefined;
  live: string;
  notice?: string | undefined;
}> = ({ messages, total, pools, poolId, live, notice }) => (
  <>
    <h1>Inbox</h1>
    <p class="sub">
      Every email and SMS the emulator would have sent, newest first. <span id="live-status" class="live" />
    </p>
    <Notices notice={notice} />
    <FilterForm action={`${CONSOLE_BASE}/inbox`} button="Show" quiet>
      <Labelled id="pool" label="Pool">
        <select id="pool" name="userPoolId">
          <option value="">All pools</option>
          {pools.map((p) => (
            <option value={p.id} selected={p.id === poolId}>
              {`${p.pool.Name ?? p.id} (${p.id})`}
            </option>
          ))}
        </select>
      </Labelled>
    </FilterForm>
    <InboxTable messages={messages} live={live} />
    <More shown={messages.length} total={total} what="messages" />
    <PostButton
      action={`${CONSOLE_BASE}/inbox/clear`}
      fields={{ userPoolId: poolId }}
      label={poolId ? "Clear this pool's messages" : "Clear the inbox"}
    />
  </>
);

/** One request as a table row: also what the live view inserts. */
export const RequestRow: FC<{ e: RequestLogEntry }> = ({ e }) => (
  <tr data-row="request">
    <td class="mono nowrap" title={e.time}>
      {e.time.slice(11, 23)}
    </td>
    <td>
      <strong>{e.operation}</strong>
      {e.request !== undefined || e.response !== undefined ? (
        <details>
          <summary>bodies</summary>
          <pre>{JSON.stringify({ request: e.request, response: e.response }, null, 2)}</pre>
        </details>
      ) : null}
    </td>
    <td>
      <code>{e.poolId ?? ""}</code>
    </td>
    <td>
      <Badge tone={e.status < 400 ? "ok" : e.status < 500 ? "warn" : "bad"}>{e.status}</Badge>
    </td>
    <td>{e.errorType ?? ""}</td>
    <td class="mono nowrap">{`${e.durationMs.toFixed(1)} ms`}</td>
  </tr>
);

/** The request log, newest first; new requests appear live. */
export const RequestsPage: FC<{ entries: RequestLogEntry[] | undefined; live: string }> = ({ entries, live }) => (
  <>
    <h1>Requests</h1>
    <p class="sub">
      The emulator's recent requests, newest first (not <code>/health</code> nor the console's page loads; its actions
      are here). Request and answer bodies are kept at <code>--log-level debug</code>, secrets masked.{" "}
      <span id="live-status" class="live" />
    </p>
    {entries === undefined ? (
      <p class="error">This emulator keeps no request log.</p>
    ) : (
      <Table
        head={["Time", "Operation", "Pool", "Status", "Error", "Took"]}
        empty="No requests yet."
        live={live}
        rows={[...entries].reverse().map((e) => <RequestRow e={e} />)}
      />
    )}
  </>
);

/** Quick moves of the clock page: label, seconds. */
const CLOCK_STEPS: [string, number][] = [
  ["+1 minute", 60],
  ["+1 hour", 3_600],
  ["+1 day", 86_400],
  ["+30 days", 30 * 86_400],
];

/** The clock: what it says, how far from real time, and forms that move it. */
export const ClockPage: FC<{
  now: number;
  offsetSeconds: number;
  notice?: string | undefined;
  error?: string | undefined;
}> = ({ now, offsetSeconds, notice, error }) => (
  <>
    <h1>Clock</h1>
    <p class="sub">
      Everything that expires (tokens, codes, sessions, temporary passwords, lockouts) reads this clock.
    </p>
    <Notices notice={notice} error={error} />
    <Facts
      items={[
        ["Emulator time", <strong id="clock-now">{shortTime(now)}</strong>],
        [
          "Ahead of real time",
          offsetSeconds === 0 ? "0 s (real time)" : `${offsetSeconds < 0 ? "-" : ""}${durationText(offsetSeconds)}`,
          "clock-offset",
        ],
      ]}
    />
    <div class="steps">
      {CLOCK_STEPS.map(([label, s]) => (
        <PostButton action={`${CONSOLE_BASE}/clock`} fields={{ amount: String(s), unit: "1" }} label={label} />
      ))}
    </div>
    <form method="post" action={`${CONSOLE_BASE}/clock`} class="inline box">
      <Labelled id="amount" label="Move by">
        <input id="amount" name="amount" type="number" step="any" required value="1" />
      </Labelled>
      <Labelled id="unit" label="Unit">
        <select id="unit" name="unit">
          <option value="1">seconds</option>
          <option value="60">minutes</option>
          <option value="3600" selected>
            hours
          </option>
          <option value="86400">days</option>
        </select>
      </Labelled>
      <button type="submit">Move the clock</button>
    </form>
    <p class="sub">
      A negative amount moves it back. Reset puts it back to real time. Tests do the same with{" "}
      <code>POST /_twin/clock</code>.
    </p>
  </>
);

/** The token decoder: a form, and the report of the token pasted. */
export const TokensPage: FC<{ token: string; report?: TokenReport | undefined }> = ({ token, report }) => (
  <>
    <h1>Token decoder</h1>
    <p class="sub">
      Paste an access, id or refresh token: its header and claims, and whether this emulator would accept it, checked
      against the issuing pool's own keys and the emulator's clock.
    </p>
    <form method="post" action={`${CONSOLE_BASE}/tokens`} class="box">
      <label for="token">Token</label>
      <textarea id="token" name="token" spellcheck={false} autocomplete="off" required>
        {token}
      </textarea>
      <p>
        <button type="submit">Decode and verify</button>
      </p>
    </form>
    {report ? <TokenReportView report={report} /> : null}
  </>
);

const TokenReportView: FC<{ report: TokenReport }> = ({ report }) => (
  <section aria-label="Verdict">
    <p
      id="verdict"
      class={report.verdict === "valid" ? "notice" : "error"}
      role={report.verdict === "valid" ? "status" : "alert"}
      data-verdict={report.verdict}
    >
      <strong>{report.verdict === "valid" ? "Valid" : report.verdict === "invalid" ? "Invalid" : "Not decoded"}</strong>
      {`: ${report.summary}`}
    </p>
    {report.expiresAt !== undefined ? (
      <p class="sub">
        {report.expiresAt > report.checkedAt
          ? `Expires in ${durationText((report.expiresAt - report.checkedAt) / 1000)}`
          : `Expired ${durationText((report.checkedAt - report.expiresAt) / 1000)} ago`}{" "}
        on the emulator's clock ({shortTime(report.checkedAt)}).
      </p>
    ) : null}
    {report.checks.length ? (
      <Table
        head={["Check", "Result", "Detail"]}
        rows={report.checks.map((c) => (
          <tr>
            <td>{c.name}</td>
            <td>
              <Badge tone={c.ok ? "ok" : "bad"}>{c.ok ? "pass" : "fail"}</Badge>
            </td>
            <td class="wrap">{c.detail}</td>
          </tr>
        ))}
      />
    ) : null}
    {report.header ? (
      <div class="grid">
        <div class="box">
          <h2>Header</h2>
          <pre>{JSON.stringify(report.header, null, 2)}</pre>
        </div>
        <div class="box">
          <h2>Claims</h2>
          <pre id="claims">{claimsText(report.claims ?? {})}</pre>
        </div>
      </div>
    ) : null}
  </section>
);

/** The claims as JSON, with the times (exp, iat, auth_time, nbf) also shown as dates. */
function claimsText(claims: Record<string, unknown>): string {
  const lines = JSON.stringify(claims, null, 2).split("\n");
  return lines
    .map((line) => {
      const m = /^ {2}"(exp|iat|auth_time|nbf)": (\d+),?$/.exec(line);
      return m ? `${line}  // ${shortTime(Number(m[2]) * 1000)}` : line;
    })
    .join("\n");
}

/** Reset's confirm step: what goes, and the one button. */
export const ResetPage: FC<{ pools: number; users: number; messages: number; seeded: boolean }> = ({
  pools,
  users,
  messages,
  seeded,
}) => (
  <>
    <h1>Reset the emulator</h1>
    <div class="box">
      <p>
        This drops every pool ({pools}), user ({users}), message ({messages}), session and the clock's offset
        {seeded ? ", then applies the seed file again" : ""}. With <code>--data-dir</code> the data directory is reset
        too. It is what <code>POST /_twin/reset</code> does.
      </p>
      <PostButton action={`${CONSOLE_BASE}/reset`} fields={{ confirm: "reset" }} tone="danger" label="Reset everything">
        {" "}
        <a href={CONSOLE_BASE}>Cancel</a>
      </PostButton>
    </div>
  </>
);

/** A page for a pool or user that is not there (any more). */
export const Missing: FC<{ what: string }> = ({ what }) => (
  <>
    <h1>Not found</h1>
    <p class="error">{what}</p>
    <p>
      <a href={CONSOLE_BASE}>Back to the pools</a>
    </p>
  </>
);
