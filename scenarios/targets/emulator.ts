// What every emulator target shares: a pool and app client made per run with the seed guide's
// settings, codes from the inbox, and the clock moved through /_twin/clock.
import { randomBytes } from "node:crypto";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientRequest,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { inboxCodes } from "../code-sources.js";
import { seedGuidePool } from "../seed-pool.js";
import { emulatorTriggers } from "../triggers/functions.js";
import type { DomainOffer, FaultControl, ScenarioClock, SocialStandIns } from "../types.js";
import type { OpenTarget } from "./types.js";

/** Settings of the run's app client beyond the seed guide's (e.g. PreventUserExistenceErrors). */
export type ClientOverrides = Partial<Omit<CreateUserPoolClientRequest, "UserPoolId" | "ClientName">>;

/** Options shared by the emulator targets. */
export interface EmulatorPoolOptions {
  readonly region?: string;
  readonly clientOverrides?: ClientOverrides;
  readonly emailDomain?: string;
  /**
   * How sign-ups are confirmed (default `code`, through the inbox). `admin` uses
   * AdminConfirmSignUp as the aws target does, so the two runs' transcripts line up.
   */
  readonly confirmation?: "code" | "admin";
  /**
   * The emulator's --control-token, sent on its test controls (/_twin/*: inbox, clock); the
   * command line takes it from --control-token or COGNITO_TWIN_CONTROL_TOKEN.
   */
  readonly controlToken?: string;
  readonly fetch?: typeof fetch;
  /**
   * What to do when the emulator does not run the trigger scenarios' functions (the trigger
   * scenarios skip with it); by default, how to start an emulator with them mapped.
   */
  readonly triggersHint?: string;
}

/** How to give a running emulator the trigger scenarios' functions (the url target's hint). */
const URL_TRIGGERS_HINT =
  'start it with the --trigger mapping that `npm run scenarios -- --print-trigger-map` prints (docs/scenarios.md, "Trigger scenarios")';

/** Headers for the test controls: the control token, when there is one. */
function controlHeaders(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { "x-twin-control-token": token };
}

/** A short random id for a run: pool names and user prefixes. */
export function runId(): string {
  return randomBytes(4).toString("hex");
}

/**
 * Creates the seed guide's pool and client on the emulator at `endpoint` and describes the
 * target; `close` deletes the pool and moves the clock back.
 */
export async function openEmulatorPool(
  name: string,
  endpoint: string,
  describe: string,
  options: EmulatorPoolOptions = {},
): Promise<OpenTarget> {
  const region = options.region ?? "us-east-1";
  const doFetch = options.fetch ?? fetch;
  const id = runId();
  const cognito = new CognitoIdentityProviderClient({
    region,
    endpoint,
    // Admin calls must be SigV4-signed; the emulator accepts any well-formed signature.
    credentials: { accessKeyId: "AKIDSCENARIOS", secretAccessKey: "scenarios" },
    maxAttempts: 1,
  });
  let poolId: string | undefined;
  const domainName = `scn-${id}`;
  try {
    const pool = await cognito.send(
      new CreateUserPoolCommand(
        seedGuidePool(`scenarios-${id}`, {
          MfaConfiguration: "OFF",
        }),
      ),
    );
    poolId = pool.UserPool!.Id!;
    const client = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "legatera-app-client",
        GenerateSecret: false,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        SupportedIdentityProviders: ["COGNITO"],
        ...options.clientOverrides,
      }),
    );
    const clientId = client.UserPoolClient!.ClientId!;
    const clientSecret = client.UserPoolClient!.ClientSecret;
    // The hosted scenarios' domain, addressed in the path form (no DNS needed). An emulator
    // without domains still runs the rest; the hosted scenarios then skip with its answer.
    let domain: DomainOffer;
    try {
      await cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domainName }));
      domain = {
        base: `${endpoint}/_domain/${domainName}`,
        discoveryUrl: `${endpoint}/${poolId}/.well-known/openid-configuration`,
      };
    } catch (e) {
      domain = { unavailable: `the emulator would not make a domain: ${(e as Error).name}: ${(e as Error).message}` };
    }
    const issuer = await discoverIssuer(doFetch, endpoint, poolId, region);
    const clock = await httpClock(doFetch, endpoint, controlHeaders(options.controlToken));
    const createdPool = poolId;
    return {
      name,
      description: `${describe}, pool ${poolId}${clientSecret ? " (client with secret)" : ""}`,
      region,
      poolId,
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      cognito,
      codes: inboxCodes(endpoint, doFetch, controlHeaders(options.controlToken)),
      ...(clock ? { clock } : {}),
      endpoint,
      issuer,
      jwksUrl: `${endpoint}/${poolId}/.well-known/jwks.json`,
      domain,
      triggers: emulatorTriggers({
        cognito,
        region,
        endpoint,
        control: controlHeaders(options.controlToken),
        fetch: doFetch,
        hint: options.triggersHint ?? URL_TRIGGERS_HINT,
      }),
      social: socialStandIns(doFetch, endpoint, controlHeaders(options.controlToken)),
      faults: faultControl(doFetch, endpoint, controlHeaders(options.controlToken)),
      confirmation: options.confirmation ?? "code",
      userPrefix: `scn-${id}-`,
      emailDomain: options.emailDomain ?? "example.com",
      async close() {
        try {
          // A pool's domain goes first, as on AWS.
          if ("base" in domain)
            await cognito.send(new DeleteUserPoolDomainCommand({ UserPoolId: createdPool, Domain: domainName }));
          await cognito.send(new DeleteUserPoolCommand({ UserPoolId: createdPool }));
          await clock?.restore();
        } finally {
          cognito.destroy();
        }
      },
    };
  } catch (e) {
    if (poolId) {
      const made = poolId;
      await cognito
        .send(new DeleteUserPoolDomainCommand({ UserPoolId: made, Domain: domainName }))
        .catch(() => undefined);
      await cognito.send(new DeleteUserPoolCommand({ UserPoolId: made })).catch(() => undefined);
    }
    cognito.destroy();
    throw e;
  }
}

/** The emulator's fault rules, through /_twin/faults (docs/faults.md). */
function faultControl(doFetch: typeof fetch, endpoint: string, control: Record<string, string>): FaultControl {
  const url = (id?: string) => `${endpoint}/_twin/faults${id === undefined ? "" : `/${encodeURIComponent(id)}`}`;
  return {
    async add(rule) {
      const res = await doFetch(url(), {
        method: "POST",
        headers: { "content-type": "application/json", ...control },
        body: JSON.stringify(rule),
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`POST /_twin/faults answered ${res.status}: ${text.slice(0, 300)}`);
      return (JSON.parse(text) as { id: string }).id;
    },
    async fired(id) {
      const res = await doFetch(url(id), { headers: control });
      if (!res.ok)
        throw new Error(`GET /_twin/faults/${id} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      return ((await res.json()) as { fired: number }).fired;
    },
    async remove(id) {
      const res = await doFetch(url(id), { method: "DELETE", headers: control });
      // Already gone (a reset) is as good as removed.
      if (!res.ok && res.status !== 404)
        throw new Error(`DELETE /_twin/faults/${id} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    },
  };
}

/** The emulator's social stand-ins, through POST /_twin/social/<provider>/identities. */
function socialStandIns(doFetch: typeof fetch, endpoint: string, control: Record<string, string>): SocialStandIns {
  return {
    async register(provider, identity) {
      const res = await doFetch(`${endpoint}/_twin/social/${encodeURIComponent(provider)}/identities`, {
        method: "POST",
        headers: { "content-type": "application/json", ...control },
        body: JSON.stringify(identity),
      });
      const text = await res.text();
      if (res.status !== 201)
        throw new Error(`POST /_twin/social/${provider}/identities answered ${res.status}: ${text.slice(0, 200)}`);
      return (JSON.parse(text) as { identity: Record<string, unknown> }).identity;
    },
  };
}

// The emulator may run with a local issuer; its discovery document says which.
async function discoverIssuer(
  doFetch: typeof fetch,
  endpoint: string,
  poolId: string,
  region: string,
): Promise<string> {
  const fallback = `https://cognito-idp.${poolId.split("_")[0] || region}.amazonaws.com/${poolId}`;
  try {
    const res = await doFetch(`${endpoint}/${poolId}/.well-known/openid-configuration`);
    if (!res.ok) return fallback;
    const doc = (await res.json()) as { issuer?: unknown };
    return typeof doc.issuer === "string" ? doc.issuer : fallback;
  } catch {
    return fallback;
  }
}

/** The emulator's clock through /_twin/clock, or undefined when it has none. */
async function httpClock(
  doFetch: typeof fetch,
  endpoint: string,
  control: Record<string, string>,
): Promise<(ScenarioClock & { restore(): Promise<void> }) | undefined> {
  const res = await doFetch(`${endpoint}/_twin/clock`, { headers: control }).catch(() => undefined);
  // An emulator that wants a control token says so; running without a clock would hide that.
  if (res?.status === 401)
    throw new Error(
      `${endpoint} wants its control token for /_twin/clock (HTTP 401): pass --control-token or set COGNITO_TWIN_CONTROL_TOKEN`,
    );
  if (!res?.ok) return undefined;
  const read = (body: unknown) => {
    const now = (body as { now?: unknown }).now;
    if (typeof now !== "number") throw new Error("GET /_twin/clock answered no `now`");
    // The emulator's time relative to ours, so token checks here agree with the emulator's.
    return now * 1000 - Date.now();
  };
  let skewMs = read(await res.json());
  let advanced = 0;
  const move = async (seconds: number) => {
    const r = await doFetch(`${endpoint}/_twin/clock`, {
      method: "POST",
      headers: { "content-type": "application/json", ...control },
      body: JSON.stringify({ advanceSeconds: seconds }),
    });
    if (!r.ok) throw new Error(`POST /_twin/clock answered HTTP ${r.status}: ${await r.text()}`);
    skewMs = read(await r.json());
  };
  return {
    now: () => Date.now() + skewMs,
    async advance(seconds) {
      await move(seconds);
      advanced += seconds;
    },
    // A shared emulator should not stay hours ahead after a run.
    async restore() {
      if (advanced !== 0) await move(-advanced);
      advanced = 0;
    },
  };
}
