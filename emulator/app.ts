// The one wiring function: the CLI, the tests and the container all call createApp.

import { randomUUID } from "node:crypto";
import { dirname, resolve as resolvePath } from "node:path";
import { Hono } from "hono";
import { resolveConfig, type TwinConfig } from "./config.js";
import type { Services } from "./context.js";
import { AdjustableClock, type Clock } from "./core/clock.js";
import { errors } from "./core/errors.js";
import { LineBuffer, type Logger } from "./core/logger.js";
import { poolByHostname } from "./domain/domains.js";
import { sweepExpired } from "./domain/sessions.js";
import { bodyLimit } from "./http/body-limit.js";
import { consoleRoutes } from "./http/console/index.js";
import { cors, crossOriginPath } from "./http/cors.js";
import { guard, HostAllowList } from "./http/guard.js";
import { HOSTED_PATHS, hostedRoutes } from "./http/hosted/index.js";
import { identityRoutes } from "./http/identity-routes.js";
import { requestLogging, requestLogRoutes } from "./http/request-logging.js";
import { socialStandIns } from "./http/social/stand-in.js";
import { stateRoutes } from "./http/state-routes.js";
import { stsRoutes } from "./http/sts-routes.js";
import { twinRoutes } from "./http/twin-routes.js";
import { userImportRoutes } from "./http/user-import-routes.js";
import { buildRegistry } from "./operations/index.js";
import { Journal } from "./persistence/journal.js";
import { cognitoApi } from "./protocol/dispatch.js";
import { renderError } from "./protocol/render.js";
import { isStsRequest, renderStsError } from "./protocol/sts.js";
import { applySeed, checkSeed, type SeedSummary } from "./seed.js";
import { Faults } from "./services/faults.js";
import { IdentityCredentials } from "./services/identity-credentials.js";
import { Inbox } from "./services/inbox.js";
import { KeyedLock } from "./services/locks.js";
import { OAuthSessions } from "./services/oauth-sessions.js";
import { RequestLog } from "./services/request-log.js";
import { Triggers } from "./services/triggers.js";
import { Store } from "./store/store.js";
import { IdentityKeys } from "./tokens/identity-keys.js";
import { KeyService } from "./tokens/keys.js";

/** What createApp returns: the Hono app plus the services behind it, for tests and the CLI. */
export interface TwinApp {
  /** The Hono app: `app.fetch` for a server, `app.request()` for in-process tests. */
  readonly app: Hono;
  readonly services: Services;
  /** The Host names the emulator answers (docs/security.md); `hosts.allow(name)` adds one. */
  readonly hosts: HostAllowList;
  /**
   * The pools' trigger functions: `triggers.set(nameOrArn, handler)` runs a handler in this
   * process (for one test; `clear()` after), `triggers.invocations` lists what ran (docs/triggers.md).
   */
  readonly triggers: Triggers;
  /**
   * The recent requests, newest last (docs/request-log.md): `requestLog.entries({ after, limit })`,
   * `requestLog.subscribe(entry => ...)`; emptied by reset().
   */
  readonly requestLog: RequestLog;
  /**
   * Faults on demand (docs/faults.md): `faults.add({ operation: "InitiateAuth", action: "throttle",
   * count: 2 })`, `faults.list()` with how often each fired, `faults.clear()`; reset() clears them.
   */
  readonly faults: Faults;
  /**
   * What the seed created at start (the command's ready line says it); undefined without a
   * seed, or when the data directory already held state and the seed was not applied again.
   */
  readonly seeded?: SeedSummary;
  /** Clears every pool, user, message and clock offset, then re-applies the seed. */
  reset(): Promise<void>;
  /** Flushes and closes the data directory's journal (a no-op for in-memory state). */
  close(): Promise<void>;
}

/** Options that are not settings: things tests inject. */
export interface CreateAppOptions {
  /**
   * Base time source (the emulator's clock adds its adjustable offset to it); real time by
   * default. Tests pass a ManualClock (core/clock.ts) so time stands still until they move it.
   */
  clock?: Clock;
  /**
   * Where log lines go (default: stdout/stderr by config.logLevel and config.logFormat). A logger
   * given here also gets the request log's lines through `info`, unless the level is `silent`.
   */
  logger?: Logger;
  /**
   * How long a trigger may take before Cognito's timeout error (5000 ms, as Cognito waits);
   * tests of that error shorten it.
   */
  triggerTimeoutMs?: number;
}

/**
 * Builds an emulator: services, operation registry (once), routes, and the seed applied.
 *
 * @example
 * const twin = await createApp({ region: "eu-west-1" });
 * const res = await twin.app.request("/health");
 */
export async function createApp(
  config: TwinConfig | Partial<TwinConfig> = {},
  options: CreateAppOptions = {},
): Promise<TwinApp> {
  const cfg = Object.isFrozen(config) ? (config as TwinConfig) : resolveConfig(config);
  // A seed the API would refuse stops the start before the data directory is opened.
  if (cfg.seed) checkSeed(cfg.seed);
  const clock = new AdjustableClock(options.clock);
  const log = options.logger ?? consoleLogger(cfg.logLevel, cfg.logFormat, clock);
  const store = new Store();
  // Loads the data directory (if any) before anything can write, so replay sees an empty store.
  const journal = cfg.dataDir
    ? await Journal.open(cfg.dataDir, store, {
        log,
        ...(cfg.journalMaxBytes ? { compactBytes: cfg.journalMaxBytes } : {}),
        // --recover / COGNITO_TWIN_RECOVER (docs/decisions/0013-recovery.md)
        recover: cfg.recover,
      })
    : undefined;
  // The social providers' stand-ins (http/social/): their pages and endpoints, and the in-process
  // door the emulator's own calls to them take.
  const social = socialStandIns(store, clock);
  const services: Services = {
    config: cfg,
    store,
    clock,
    inbox: new Inbox((line) => log.info(line)),
    locks: new KeyedLock(),
    keys: new KeyService(store, { shared: cfg.sharedSigningKeys }),
    identityKeys: new IdentityKeys(store),
    identityCredentials: new IdentityCredentials(),
    log,
    oauth: new OAuthSessions(clock),
    triggers: new Triggers({
      lambdaEndpoint: cfg.lambdaEndpoint,
      modules: triggerModules(cfg),
      timeoutMs: options.triggerTimeoutMs,
      log,
    }),
    ...(journal ? { durability: journal } : {}),
    socialStandIn: social.fetch,
    requestLog: new RequestLog(),
    // Fault rules (docs/faults.md) on the emulator's clock; the quota mode when --quotas is set.
    faults: new Faults({ clock, paths: HOSTED_PATHS, quotas: cfg.quotas }),
  };
  const registry = buildRegistry();

  const app = new Hono();
  app.use("*", async (c, next) => {
    const requestId = randomUUID();
    c.set("requestId", requestId);
    c.header("x-amzn-RequestId", requestId);
    await next();
    // c.json/c.body answers carry it already; an answer built as a bare Response gets it here.
    if (!c.res.headers.has("x-amzn-RequestId")) c.res.headers.set("x-amzn-RequestId", requestId);
  });
  // One line per request, measured around everything below, the guard's refusals included
  // (http/request-logging.ts, docs/request-log.md).
  app.use(
    "*",
    requestLogging(services, {
      write: requestLineWriter(cfg, options.logger),
      format: cfg.logFormat,
      debug: cfg.logLevel === "debug",
    }),
  );
  // Before anything else answers: the Host allow-list on every route, the control token and
  // JSON-only POSTs on /_twin/* (http/guard.ts, docs/security.md).
  const hosts = new HostAllowList(cfg, (name) => poolByHostname(store, name) !== undefined);
  app.use("*", guard({ hosts, controlToken: cfg.controlToken, publicUrl: cfg.publicUrl, log }));
  if (journal) {
    // No answer (success or error) leaves before the changes made so far are fsynced; requests
    // that arrive together share one fsync (group commit). In memory this middleware is absent.
    // Once the journal has failed (it stays stopped, ADR 0005) a request that changed nothing
    // keeps its answer, so reads go on working; one that changed state gets InternalError.
    app.use("*", async (c, next) => {
      const before = journal.seq;
      await next();
      const changed = journal.seq !== before;
      try {
        await journal.flush();
      } catch {
        if (!changed) return;
        const requestId = c.res.headers.get("x-amzn-RequestId") ?? randomUUID();
        c.res = undefined; // drop the original answer's headers rather than merge them in
        c.res = renderError(errors.notDurable(), requestId, log);
      }
    });
  }
  app.use(
    "*",
    cors({
      origin: "*",
      // The Cognito API and the pools' public documents; never the test controls (/_twin/*).
      appliesTo: crossOriginPath,
      allowMethods: ["POST", "GET", "DELETE", "OPTIONS"],
      exposeHeaders: ["x-amzn-RequestId", "x-amzn-ErrorType", "x-amzn-ErrorMessage", "Date"],
      maxAge: 86400,
    }),
  );
  // The pre-signed upload URL of user import jobs takes files up to 100 MB: mounted before the body limit.
  userImportRoutes(app, services);
  app.use(
    "*",
    bodyLimit({
      maxSize: cfg.maxBodyBytes,
      onError: () => {
        throw errors.bodyTooLarge(cfg.maxBodyBytes);
      },
    }),
  );
  // A pool's domain: managed login and the OAuth 2.0 endpoints, by Host name or /_domain/<name>.
  hostedRoutes(app, services, registry);
  app.route("/", social.app);
  // STS's AssumeRoleWithWebIdentity for the identity pools' classic flow (a form POST to /).
  stsRoutes(app, services);
  app.post("/", cognitoApi(services, registry));
  twinRoutes(app, services, { reset: () => reset() });
  // The web console at /_twin/ui (http/console/, docs/web-console.md).
  consoleRoutes(app, services, { reset: () => reset() });
  requestLogRoutes(app, services);
  stateRoutes(app, services);
  // The identity pools' JWKS and discovery document, and GET /_twin/identity-credentials.
  identityRoutes(app, services);
  app.notFound((c) => c.json({ message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  app.onError((err, c) => {
    const requestId = c.res.headers.get("x-amzn-RequestId") ?? randomUUID();
    // A body too large for an STS request is answered in STS's XML, which its clients read.
    if (
      c.req.method === "POST" &&
      c.req.path === "/" &&
      isStsRequest(c.req.header("content-type"), c.req.header("x-amz-target"))
    )
      return renderStsError(err, requestId, log);
    return renderError(err, requestId, log);
  });

  async function reset(): Promise<void> {
    store.clear();
    services.keys.forget();
    services.identityKeys.forget();
    services.identityCredentials.clear();
    services.inbox.clear();
    services.oauth.clear();
    social.clear();
    services.triggers.forgetInvocations();
    services.requestLog.clear();
    services.faults.clear();
    services.clock.reset();
    if (cfg.seed) await applySeed(services, registry, cfg.seed);
    // The config file's fault rules come back with the rest of it.
    if (cfg.seed?.Faults) services.faults.addAll(cfg.seed.Faults);
    // A snapshot of the (seeded) state replaces the journal, so the data directory is reset too.
    await journal?.compact();
  }

  let seeded: SeedSummary | undefined;
  if (cfg.seed) {
    // A data directory that already holds state was seeded when it was new; seeding again would
    // collide with the pools it created.
    if (journal && !store.listPools().next().done)
      log.info(`cognito-twin: data dir ${journal.dir} holds state; the seed is not applied again`);
    else {
      try {
        seeded = await applySeed(services, registry, cfg.seed);
      } catch (e) {
        // Unlock the data directory: the caller never gets a TwinApp to close.
        await journal?.close().catch(() => undefined);
        throw e;
      }
    }
  }
  // The config file's fault rules (checked with the rest of the file by checkSeed): not state, so
  // set at every start, a data directory's or not.
  if (cfg.seed?.Faults) services.faults.addAll(cfg.seed.Faults);
  // Expired sessions and challenges are dropped once a minute (domain/sessions.ts: nothing else
  // removes them); unref'd, so it never keeps a process alive.
  const sweeper = setInterval(() => sweepExpired(services), 60_000);
  sweeper.unref();
  return {
    app,
    services,
    hosts,
    triggers: services.triggers,
    requestLog: services.requestLog,
    faults: services.faults,
    ...(seeded ? { seeded } : {}),
    reset,
    close: async () => {
      clearInterval(sweeper);
      // Requests held by a delay or hang rule are let go rather than kept open.
      services.faults.release();
      await journal?.close();
      stdoutLines.flush();
    },
  };
}

/**
 * The in-process trigger modules: the config file's `Triggers` (paths from the file's folder),
 * then `--trigger` (paths from the working directory), which wins for the same name.
 */
function triggerModules(cfg: TwinConfig): Record<string, string> {
  const modules: Record<string, string> = {};
  const fileDir = cfg.seedPath ? dirname(resolvePath(cfg.seedPath)) : process.cwd();
  for (const [name, spec] of Object.entries(cfg.seed?.Triggers ?? {})) modules[name] = resolvePath(fileDir, spec);
  for (const [name, spec] of Object.entries(cfg.triggers ?? {})) modules[name] = resolvePath(spec);
  return modules;
}

/**
 * Where request lines go: the injected logger's `info`, else stdout with one write per line (not
 * through consoleLogger, whose JSON format would wrap a JSON line in another); none when silent.
 */
function requestLineWriter(cfg: TwinConfig, logger: Logger | undefined): ((line: string) => void) | undefined {
  if (cfg.logLevel === "silent") return undefined;
  if (logger) return (line) => logger.info(line);
  return (line) => stdoutLines.write(line);
}

/**
 * stdout's lines, one write per turn of the event loop (core/logger.ts): shared by every
 * emulator of the process, so the request lines and the other log lines keep their order.
 */
const stdoutLines = new LineBuffer((chunk) => process.stdout.write(chunk));

function consoleLogger(level: TwinConfig["logLevel"], format: TwinConfig["logFormat"], clock: Clock): Logger {
  const quiet = level === "silent";
  // --log-format json: every line an object like the request log's, `message` holding the text.
  const shape =
    format === "json"
      ? (lineLevel: string, line: string) =>
          JSON.stringify({ time: new Date(clock.now()).toISOString(), level: lineLevel, message: line })
      : (_lineLevel: string, line: string) => line;
  return {
    info: (line) => {
      if (!quiet) stdoutLines.write(shape("info", line));
    },
    debug: (line) => {
      if (level === "debug") stdoutLines.write(shape("debug", line));
    },
    error: (line) => {
      // Errors go out at once; what stdout holds goes first, so the order reads right.
      if (quiet) return;
      stdoutLines.flush();
      process.stderr.write(`${shape("error", line)}\n`);
    },
  };
}
