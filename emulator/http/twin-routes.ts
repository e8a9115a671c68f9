// Routes that are not Cognito's API: health, test controls, and each pool's OIDC documents.
import type { Hono } from "hono";
import type { Services } from "../context.js";
import { SENDER_KEY_NAME, SENDER_KEY_NAMESPACE } from "../domain/triggers/custom-sender.js";
import { issuerFor } from "../tokens/issuer.js";
import { faultRoutes } from "./fault-routes.js";
import { localConfirmLink } from "./hosted/confirm-user.js";
import { discoveryEndpoints } from "./hosted/index.js";
import { threatRoutes } from "./threat-routes.js";

/**
 * The latest time the clock may show: the end of 9999, far inside what a Date holds (8.64e15 ms,
 * year 275760), so expiry times computed from it (up to 10 years later) are dates too.
 */
const LATEST_CLOCK_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Why the clock may not move by `advanceSeconds` (it would leave 1970-9999), or undefined when
 * it may: the one rule of `POST /_twin/clock` and the web console's clock page.
 */
export function clockMoveRefusal(clock: Services["clock"], advanceSeconds: number): string | undefined {
  const now = clock.now();
  const target = now + advanceSeconds * 1000;
  if (target >= 0 && target <= LATEST_CLOCK_MS) return undefined;
  return `advanceSeconds must keep the emulator's clock between 1970 and 9999: ${advanceSeconds} seconds from ${new Date(now).toISOString()} is outside that.`;
}

/** Mounts /health, /_twin/* and /<poolId>/.well-known/*. */
export function twinRoutes(app: Hono, services: Services, control: { reset(): Promise<void> }): void {
  const { store, inbox, clock, keys } = services;

  // `persistence` (with --data-dir) reports what start-up recovered and any damage it found.
  // "degraded" (200): the state was recovered from damage (--recover) and nobody acknowledged
  // it yet; "failed" (503): the journal could not write, so changes are refused until a restart.
  // See docs/decisions/0013-recovery.md.
  app.get("/health", (c) => {
    const persistence = services.durability?.status();
    const status = persistence?.failure ? "failed" : persistence?.recovery.recovered ? "degraded" : "ok";
    return c.json(
      { status, pools: [...store.listPools()].length, ...(persistence ? { persistence } : {}) },
      status === "failed" ? 503 : 200,
    );
  });

  app.post("/_twin/reset", async (c) => {
    await control.reset();
    return c.json({ reset: true });
  });

  app.get("/_twin/messages", (c) => {
    const userPoolId = c.req.query("userPoolId");
    const username = c.req.query("username");
    const base = `${new URL(c.req.url).protocol}//${c.req.header("host") ?? "localhost"}`;
    // `localLink`: a confirmation link's twin on this emulator's path form (docs/test-controls.md).
    const messages = inbox.list({ userPoolId, username }).map((m) => {
      const localLink = localConfirmLink(services, m, base);
      return localLink ? { ...m, localLink } : m;
    });
    return c.json({ messages });
  });

  // The same filters as GET, so parallel test files can each clear only their own pool's mail.
  app.delete("/_twin/messages", (c) => {
    const deleted = inbox.clear({ userPoolId: c.req.query("userPoolId"), username: c.req.query("username") });
    return c.json({ messages: [], deleted });
  });

  // The trigger functions' recent invocations, oldest first: what each was sent and what it did
  // (docs/test-controls.md). `triggerSource` keeps one source (`PreSignUp_SignUp`).
  app.get("/_twin/triggers", (c) => {
    const source = c.req.query("triggerSource");
    const invocations = services.triggers.invocations
      .filter((i) => source === undefined || i.triggerSource === source)
      .map(({ functionArn, triggerSource, via, event, outcome, startedAt, durationMs }) => ({
        functionArn,
        triggerSource,
        via,
        event,
        outcome,
        startedAt: startedAt / 1000,
        durationMs,
      }));
    return c.json({ invocations });
  });

  app.delete("/_twin/triggers", (c) => {
    const deleted = services.triggers.invocations.length;
    services.triggers.forgetInvocations();
    return c.json({ invocations: [], deleted });
  });

  // The key the codes handed to custom sender triggers are encrypted with, for a handler in
  // another process (SAM local, LocalStack) to build the same raw AES keyring (docs/triggers.md).
  app.get("/_twin/triggers/sender-key", (c) =>
    c.json({
      keyNamespace: SENDER_KEY_NAMESPACE,
      keyName: SENDER_KEY_NAME,
      wrappingSuite: "AES256_GCM_IV12_TAG16_NO_PADDING",
      key: services.triggers.senderKey.toString("base64"),
    }),
  );

  // Compromised passwords, users' risk levels and auth events with their feedback tokens.
  threatRoutes(app, services);

  // Fault rules: GET, POST and DELETE /_twin/faults (docs/faults.md).
  faultRoutes(app, services);

  app.get("/_twin/clock", (c) => c.json({ now: clock.now() / 1000, offsetSeconds: clock.offsetSeconds }));

  app.post("/_twin/clock", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ message: 'Body must be JSON like {"advanceSeconds": 3600}' }, 400);
    }
    const advance = (body as { advanceSeconds?: unknown } | null)?.advanceSeconds;
    if (typeof advance !== "number" || !Number.isFinite(advance)) {
      return c.json({ message: 'Body must be JSON like {"advanceSeconds": 3600}' }, 400);
    }
    const refusal = clockMoveRefusal(clock, advance);
    if (refusal !== undefined) return c.json({ message: refusal }, 400);
    clock.advance(advance);
    return c.json({ now: clock.now() / 1000, offsetSeconds: clock.offsetSeconds });
  });

  app.get("/:poolId/.well-known/jwks.json", async (c) => {
    const poolId = c.req.param("poolId");
    if (!store.getPool(poolId)) return c.json({ message: `User pool ${poolId} does not exist.` }, 404);
    return c.json(await keys.jwks(poolId));
  });

  app.get("/:poolId/.well-known/openid-configuration", (c) => {
    const poolId = c.req.param("poolId");
    const pool = store.getPool(poolId);
    if (!pool) return c.json({ message: `User pool ${poolId} does not exist.` }, 404);
    const base = `${new URL(c.req.url).protocol}//${c.req.header("host") ?? "localhost"}`;
    const issuer = issuerFor(services, poolId, base);
    return c.json({
      issuer,
      // A local issuer serves its keys at <issuer>/.well-known/jwks.json, as Cognito's does; an
      // aws issuer is not this server, so its keys are pointed at where it was reached.
      jwks_uri:
        services.config.issuer === "local"
          ? `${issuer}/.well-known/jwks.json`
          : `${base}/${poolId}/.well-known/jwks.json`,
      // The OAuth 2.0 endpoints, once the pool has a domain (http/hosted/, docs/hosted-ui.md).
      ...discoveryEndpoints(services, pool, base),
      response_types_supported: ["code", "token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "email", "phone", "profile"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    });
  });
}
