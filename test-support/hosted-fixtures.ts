// An in-process emulator with a pool, a domain and a hosted-UI app client, for the tests of the
// managed login pages and the OAuth 2.0 endpoints. Everything goes through the API (call()).
import { createHash, randomBytes } from "node:crypto";
import { createApp, type TwinApp } from "../emulator/app.js";
import type { TwinConfig } from "../emulator/config.js";
import type { Clock } from "../emulator/core/clock.js";
import { Browser } from "./browser.js";
import { call } from "./twin.js";

export const CALLBACK = "https://app.example.com/callback";
export const LOGOUT = "https://app.example.com/signed-out";
export const PASSWORD = "Passw0rd!";

/** What a hosted test works with. */
export interface Hosted {
  twin: TwinApp;
  poolId: string;
  clientId: string;
  /** The domain prefix (`myapp-<random>`). */
  domain: string;
  /** `/_domain/<prefix>`: the path-form base. */
  base: string;
  /** The domain's host name. */
  hostname: string;
  /** Calls an API operation; fails the test on an error answer. */
  api(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** A new browser on the emulator's own address (path form). */
  browser(): Browser;
  /** An authorize URL (path form) for the hosted client, `extra` added. */
  authorizeUrl(extra?: Record<string, string>): string;
  /** Creates a confirmed user with a permanent password and a verified email. */
  user(username: string, attributes?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export interface HostedOptions {
  config?: Partial<TwinConfig>;
  pool?: Record<string, unknown>;
  client?: Record<string, unknown>;
  /** The emulator's base clock (a ManualClock for exact times); real time by default. */
  clock?: Clock;
}

/** RFC 7636 S256: a verifier and its challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export async function hostedTwin(options: HostedOptions = {}): Promise<Hosted> {
  const twin = await createApp(
    { logLevel: "silent", ...options.config },
    options.clock ? { clock: options.clock } : {},
  );
  const api = async (operation: string, input: Record<string, unknown>) => {
    const res = await call(twin, operation, input);
    if (res.status !== 200) throw new Error(`${operation}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const created = await api("CreateUserPool", {
    PoolName: "Hosted Test Pool",
    AutoVerifiedAttributes: ["email"],
    ...options.pool,
  });
  const poolId = (created.UserPool as { Id: string }).Id;
  const domain = `myapp-${randomBytes(4).toString("hex")}`;
  await api("CreateUserPoolDomain", { UserPoolId: poolId, Domain: domain });
  const client = await api("CreateUserPoolClient", {
    UserPoolId: poolId,
    ClientName: "hosted",
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code", "implicit"],
    AllowedOAuthScopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
    CallbackURLs: [CALLBACK, "http://localhost:3000/cb"],
    LogoutURLs: [LOGOUT],
    SupportedIdentityProviders: ["COGNITO"],
    ...options.client,
  });
  const clientId = (client.UserPoolClient as { ClientId: string }).ClientId;
  const hostname = `${domain}.auth.${poolId.split("_")[0]}.amazoncognito.com`;
  // Until createApp hands the pools' domains to the Host allow-list itself.
  (twin as { hosts?: { allow(name: string): void } }).hosts?.allow(hostname);
  const base = `/_domain/${domain}`;
  return {
    twin,
    poolId,
    clientId,
    domain,
    base,
    hostname,
    api,
    browser: () => new Browser(twin.app),
    authorizeUrl: (extra = {}) =>
      `${base}/oauth2/authorize?${new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: CALLBACK, ...extra })}`,
    user: async (username, attributes = { email: `${username}@example.com`, email_verified: "true" }) => {
      await api("AdminCreateUser", {
        UserPoolId: poolId,
        Username: username,
        MessageAction: "SUPPRESS",
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      });
      await api("AdminSetUserPassword", {
        UserPoolId: poolId,
        Username: username,
        Password: PASSWORD,
        Permanent: true,
      });
    },
    close: () => twin.close(),
  };
}

/** POSTs a form to one of the JSON endpoints; answers status, headers and the parsed body. */
export async function postForm(
  twin: TwinApp,
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await twin.app.request(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { text };
  }
  return { status: res.status, headers: res.headers, body };
}

/** `Authorization: Basic` for a client id and secret. */
export function basic(id: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}` };
}

/** The code (or error) on a callback URL's query. */
export function callbackQuery(url: string | undefined): URLSearchParams {
  if (!url) throw new Error("no redirect");
  return new URL(url).searchParams;
}
