// The federated OIDC sign-in (issue 15), cognito-twin only: a real OpenID Connect provider
// (panva's oidc-provider, test-support/oidc-upstream.ts) on a loopback port in the bench process,
// an OIDC identity provider on a pool pointing at it, and whole sign-ins one after another, every
// redirect followed: /oauth2/authorize?identity_provider → the provider's authorize and its login
// (answered without a page) → /oauth2/idpresponse (discovery, code exchange, id token
// verification, userInfo, the federated user) → the app's callback with a code → /oauth2/token.
// The figure is the emulator process's CPU per sign-in (the upstream's own work is in the bench
// process, not counted) and the wall time of one.
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { followUpstream, startOidcProvider } from "../test-support/oidc-upstream.js";
import { api, type Running } from "./api.js";
import type { Tool } from "./tools.js";
import { scratchDir } from "./tools.js";
import { createFixture, launchTool, median } from "./workloads.js";

/** What one run of the federated sign-in workload measured. */
export interface FederationRun {
  signIns: number;
  /** Emulator CPU per sign-in, ms (the process's CPU over all measured sign-ins, divided). */
  cpuMs: number;
  /** Wall time of one whole sign-in, ms: median and 99th percentile. */
  wallP50Ms: number;
  wallP99Ms: number;
}

const CALLBACK = "http://localhost:3000/callback";
const PROVIDER = "BenchOidc";
/** Upstream accounts: each signs in once unmeasured first (its federated user created), then again and again. */
const ACCOUNTS = 16;

/** A browser's cookies for one site (name → value), from Set-Cookie answers. */
function keep(jar: Map<string, string>, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

async function get(url: string, jar: Map<string, string>): Promise<string> {
  const res = await fetch(url, {
    redirect: "manual",
    headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
  });
  keep(jar, res);
  const body = await res.text();
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`GET ${url} answered ${res.status}: ${body.slice(0, 300)}`);
  return new URL(location, url).toString();
}

/**
 * The provider's discovery document and JWKS say they may be kept for an hour, as Google's do
 * (`Cache-Control: public, max-age=3600`); the emulator then reads them once, not at every step.
 */
const DISCOVERY_MAX_AGE_S = 3600;

/** Runs `signIns` federated sign-ins (after a warm-up) on a fresh cognito-twin. */
export async function measureFederation(
  tool: Tool,
  signIns: number,
  log: (line: string) => void,
  discoveryMaxAge: number | undefined = DISCOVERY_MAX_AGE_S,
): Promise<FederationRun> {
  const scratch = scratchDir(tool.name);
  let server: Running | undefined;
  let upstream: Awaited<ReturnType<typeof startOidcProvider>> | undefined;
  try {
    server = await launchTool(tool, scratch.dir);
    const url = server.url;
    const f = await createFixture(url);
    const domain = `bench-fed-${createHash("sha256").update(f.poolId).digest("hex").slice(0, 8)}`;
    await api(url, "CreateUserPoolDomain", { UserPoolId: f.poolId, Domain: domain });
    const base = `${url}/_domain/${domain}`;
    const accounts = Object.fromEntries(
      Array.from({ length: ACCOUNTS }, (_, k) => [
        `fed-${k}`,
        { email: `fed${k}@upstream.test`, email_verified: true, name: `Federated ${k}`, given_name: "Fed" },
      ]),
    );
    upstream = await startOidcProvider({
      redirectUris: [`${base}/oauth2/idpresponse`],
      accounts,
      ...(discoveryMaxAge !== undefined ? { discoveryMaxAge } : {}),
    });
    await api(url, "CreateIdentityProvider", {
      UserPoolId: f.poolId,
      ProviderName: PROVIDER,
      ProviderType: "OIDC",
      ProviderDetails: {
        client_id: upstream.clientId,
        client_secret: upstream.clientSecret,
        authorize_scopes: "openid email profile",
        oidc_issuer: upstream.issuer,
        attributes_request_method: "GET",
      },
      AttributeMapping: { email: "email", name: "name", email_verified: "email_verified" },
    });
    const client = await api<{ UserPoolClient: { ClientId: string } }>(url, "CreateUserPoolClient", {
      UserPoolId: f.poolId,
      ClientName: "bench-federated",
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email", "profile"],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: [PROVIDER],
    });
    const clientId = client.UserPoolClient.ClientId;
    const authorize = `${base}/oauth2/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: CALLBACK,
      scope: "openid email profile",
      state: "bench-fed",
      identity_provider: PROVIDER,
    })}`;
    const names = Object.keys(accounts);
    const up = upstream;
    const signIn = async (i: number): Promise<void> => {
      up.next = { account: names[i % names.length]! };
      // A fresh browser each time: no managed login session to short-cut the next sign-in.
      const jar = new Map<string, string>();
      const atProvider = await get(authorize, jar);
      if (!atProvider.startsWith(up.issuer)) throw new Error(`authorize did not go to the provider: ${atProvider}`);
      const idpResponse = await followUpstream(atProvider);
      const callback = new URL(await get(idpResponse, jar));
      const code = callback.searchParams.get("code");
      if (!code) throw new Error(`idpresponse gave no code: ${callback}`);
      const res = await fetch(`${base}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          client_id: clientId,
          code,
          redirect_uri: CALLBACK,
        }),
      });
      const tokens = (await res.json()) as { id_token?: string };
      if (res.status !== 200 || !tokens.id_token)
        throw new Error(`/oauth2/token answered ${res.status}: ${JSON.stringify(tokens).slice(0, 300)}`);
    };
    // Unmeasured: every account's first sign-in (its federated user created) and the JIT's warm-up.
    for (let i = 0; i < ACCOUNTS * 2; i++) await signIn(i);
    // Only the measured calls in the provider's request log.
    up.requests.length = 0;
    const walls: number[] = [];
    const cpu0 = server.cpuSeconds();
    for (let i = 0; i < signIns; i++) {
      const t0 = performance.now();
      await signIn(i);
      walls.push(performance.now() - t0);
    }
    const cpuMs = ((server.cpuSeconds() - cpu0) / signIns) * 1000;
    walls.sort((a, b) => a - b);
    const out = {
      signIns,
      cpuMs,
      wallP50Ms: median(walls),
      wallP99Ms: walls[Math.min(walls.length - 1, Math.floor(walls.length * 0.99))]!,
    };
    log(
      `  ${signIns} federated OIDC sign-ins, c1: emulator CPU ${out.cpuMs.toFixed(2)} ms per sign-in, wall p50 ${out.wallP50Ms.toFixed(2)} ms, p99 ${out.wallP99Ms.toFixed(2)} ms (${(up.requests.length / signIns).toFixed(1)} upstream requests each)`,
    );
    return out;
  } finally {
    await upstream?.close();
    await server?.stop();
    scratch.remove();
  }
}
