// The cognito-twin command as a child process, for tests of the CLI itself and of non-JS
// clients (AWS CLI) that need a real emulator to talk to. Runs the bundle the `slow` project's
// global setup made from the current sources (test-support/cli-bundle.ts), or, outside it, the
// TypeScript source through tsx, so nothing has to be built first either way.
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (where package.json is). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

const CLI = join(REPO_ROOT, "emulator", "cli.ts");

/** Where test-support/cli-bundle.ts tells the test workers it put the bundled command. */
export const CLI_BUNDLE_ENV = "TWIN_TEST_CLI_BUNDLE";

/** The program and arguments that run the command: node with the bundle, else node with tsx. */
export function cliCommand(args: readonly string[]): [string, string[]] {
  const bundle = process.env[CLI_BUNDLE_ENV];
  return [process.execPath, bundle ? [bundle, ...args] : ["--import", "tsx", CLI, ...args]];
}

/** The environment a child gets: this process's, minus every COGNITO_TWIN_* setting, plus `env`. */
function childEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("COGNITO_TWIN_")));
  return { ...base, ...env };
}

/** A finished run of the command. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running emulator started by the command. */
export interface CliProcess {
  child: ChildProcess;
  /** The URL from the ready line. */
  url: string;
  /** The ready line as printed. */
  readyLine: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with stderr once it matches `pattern`; rejects if the process ends or `timeoutMs` passes first. */
  untilStderr(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends a signal and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
}

function spawnCli(args: readonly string[], env: Record<string, string | undefined>): ChildProcess {
  const [command, argv] = cliCommand(args);
  return spawn(command, argv, {
    cwd: REPO_ROOT,
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function collect(child: ChildProcess) {
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<CliResult>((resolve) => {
    child.once("close", (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
  });
  return { out: () => out, err: () => err, exited };
}

/** Runs the command to its end (for --help and bad arguments); kills it after `timeoutMs`. */
export async function runCli(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 30_000,
): Promise<CliResult> {
  const child = spawnCli(args, env);
  const { exited } = collect(child);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the command and resolves once it prints its ready line (`--port 0` in `args` makes it
 * pick a free port). Rejects with its output if it exits or stays silent for `timeoutMs`.
 */
export async function startCli(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 30_000,
): Promise<CliProcess> {
  const child = spawnCli(args, env);
  const io = collect(child);
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no ready line within ${timeoutMs} ms\nstdout: ${io.out()}\nstderr: ${io.err()}`));
    }, timeoutMs);
    const onData = () => {
      const m = /^cognito-twin ready on (http:\/\/\S+) .*$/m.exec(io.out());
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      resolve(m);
    };
    child.stdout!.on("data", onData);
    void io.exited.then((r) => {
      clearTimeout(timer);
      reject(
        new Error(
          `cognito-twin exited (${r.code ?? r.signal}) before it was ready\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
        ),
      );
    });
  });
  return {
    child,
    url: ready[1]!,
    readyLine: ready[0],
    stdout: io.out,
    stderr: io.err,
    untilStderr: (pattern, timeoutMs = 10_000) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(io.err())) return;
          done();
          resolve(io.err());
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`stderr did not match ${pattern} within ${timeoutMs} ms:\n${io.err()}`));
        }, timeoutMs);
        const ended = () => {
          done();
          if (pattern.test(io.err())) resolve(io.err());
          else reject(new Error(`cognito-twin ended before stderr matched ${pattern}:\n${io.err()}`));
        };
        const done = () => {
          clearTimeout(timer);
          child.stderr!.off("data", check);
          child.off("close", ended);
        };
        child.stderr!.on("data", check);
        child.once("close", ended);
        check();
      }),
    stop: async (signal: NodeJS.Signals = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      try {
        return await io.exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
