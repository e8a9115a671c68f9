#!/usr/bin/env node
// The cognito-twin command: read settings once, build the app, listen, print one ready line.
import { createApp } from "./app.js";
import { ConfigError, readConfig, USAGE } from "./config.js";
import { tuneHeapForServer } from "./heap.js";
import { exposureWarning } from "./http/guard.js";
import { listen } from "./http/server.js";
import { DataDirError } from "./persistence/journal.js";
import { runStateCommand } from "./persistence/state-commands.js";
import { SeedError, type SeedSummary } from "./seed.js";

async function main(): Promise<number> {
  const sub = process.argv[2];
  if (sub === "export" || sub === "import") {
    return runStateCommand(process.argv.slice(2), process.env, {
      out: (t) => process.stdout.write(t),
      err: (t) => process.stderr.write(t),
    });
  }
  tuneHeapForServer();
  let config;
  try {
    config = readConfig(process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`cognito-twin: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (config === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  let twin;
  try {
    twin = await createApp(config);
  } catch (e) {
    if (e instanceof SeedError) {
      process.stderr.write(`cognito-twin: config file ${config.seedPath ?? ""}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof DataDirError) {
      process.stderr.write(`cognito-twin: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  let server;
  try {
    server = await listen(twin);
  } catch (e) {
    process.stderr.write(`cognito-twin: cannot listen on ${config.host}:${config.port}: ${(e as Error).message}\n`);
    await twin.close();
    return 1;
  }
  // Trigger code runs in this process (--trigger): a promise it forgot to await that rejects, or a
  // throw in one of its timers, must not take the emulator down with it; the log says what it was.
  process.on("unhandledRejection", (reason) =>
    process.stderr.write(`cognito-twin: unhandled rejection (a trigger's stray promise?): ${describeError(reason)}\n`),
  );
  process.on("uncaughtException", (error) =>
    process.stderr.write(
      `cognito-twin: uncaught exception (a trigger's timer or callback?): ${describeError(error)}\n`,
    ),
  );
  process.stdout.write(
    `cognito-twin ready on ${server.url} (${readyDetails(config.region, twin.seeded, config.seed)})\n`,
  );
  // Reachable from other machines with no credential on the test controls: say so, once.
  const warning = exposureWarning(config);
  if (warning && config.logLevel !== "silent") process.stderr.write(`${warning}\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      // Ctrl-C reaches npm and the emulator both; npm then exits too, and the emulator is orphaned.
      if (stopping) return;
      stopping = true;
      process.stdout.write(`cognito-twin: ${signal}, shutting down\n`);
      // The journal is flushed and closed after the last connection, so a clean stop loses nothing.
      void server
        .close()
        .then(() => twin.close())
        .then(resolve);
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
    whenOrphaned(() => stop("npm exited"));
  });
  return 0;
}

/**
 * Calls `stop` once the process that started this one has gone, when that was npm (`npx
 * cognito-twin`, `npm start`, `npm exec`). npm passes SIGTERM on to the `sh -c` it runs the
 * command in, but that shell dies without passing it on, so killing npx used to leave the
 * emulator running on its port. Started any other way (a shell, nohup, a container), the
 * emulator outlives its parent as a server should.
 */
function whenOrphaned(stop: () => void): void {
  if (!process.env.npm_execpath) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      stop();
    }
  }, 250);
  timer.unref();
}

/**
 * What the ready line says besides the address: the region and what the seed created
 * (`region us-east-1; seeded 1 pool, 2 clients, 3 users`), or that the data directory's state was kept.
 */
function readyDetails(region: string, seeded: SeedSummary | undefined, seed: unknown): string {
  if (!seed) return `region ${region}`;
  if (!seeded) return `region ${region}; seed not applied: the data directory holds state`;
  const count = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
  return `region ${region}; seeded ${count(seeded.pools, "pool")}, ${count(seeded.clients, "client")}, ${count(seeded.users, "user")}`;
}

function describeError(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`cognito-twin: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
