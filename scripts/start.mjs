#!/usr/bin/env node
// `npm start` from a clone: says at once when the port is taken (before a build that can take
// 20 s), rebuilds dist/ only when a source changed (build-if-stale.mjs), then runs the built
// command in this same process, so a signal sent to `npm start` reaches the emulator itself.
// Plain Node, no tsx, so the whole path costs milliseconds when nothing changed.
// See docs/decisions/0035-packaging.md.
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);

/** The value of `--name value` or `--name=value` (the last one wins, as parseArgs has it). */
function flag(name) {
  let value;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) value = args[i + 1];
    else if (args[i]?.startsWith(`--${name}=`)) value = args[i].slice(name.length + 3);
  }
  return value;
}

/** Resolves to the reason host:port cannot be listened on, or undefined when it can. */
function portRefusal(host, port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (e) => resolve(e.code === "EADDRINUSE" ? "the port is taken by another program" : e.message));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}

const serving = !["export", "import"].includes(args[0] ?? "") && !args.includes("--help") && !args.includes("-h");
if (serving) {
  const env = (name) => (process.env[name] === "" ? undefined : process.env[name]);
  const host = flag("host") ?? env("COGNITO_TWIN_HOST") ?? "127.0.0.1";
  const port = Number(flag("port") ?? env("COGNITO_TWIN_PORT") ?? 9229);
  // A port the command would refuse anyway is left for its own message.
  if (Number.isInteger(port) && port > 0 && port < 65536) {
    const refusal = await portRefusal(host, port);
    if (refusal) {
      process.stderr.write(
        `cognito-twin: cannot listen on ${host}:${port}: ${refusal}; stop it or pick another port with --port (COGNITO_TWIN_PORT)\n`,
      );
      process.exit(1);
    }
  }
}

const build = spawnSync(process.execPath, [join(root, "scripts", "build-if-stale.mjs")], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
await import(pathToFileURL(join(root, "dist", "emulator", "cli.js")).href);
