// Where emailed codes come from. Emulators keep them in an inbox; live Cognito really emails
// them, so a person types them in or a command fetches them (from a test mailbox, say).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline/promises";
import { type CodeRequest, type CodeSource, SkipStep } from "./types.js";

interface InboxMessage {
  username: string;
  reason: string;
  code?: string;
}

/**
 * Reads codes from an emulator's `GET /_twin/messages`: the newest message of the right kind
 * (a resent sign-up code counts as a sign-up code). `headers` go with each request (the
 * emulator's control token, when it has one).
 */
export function inboxCodes(
  baseUrl: string,
  fetchImpl: typeof fetch = fetch,
  headers: Record<string, string> = {},
): CodeSource {
  return {
    name: "inbox",
    automatic: true,
    async code(req) {
      const url = `${baseUrl}/_twin/messages?userPoolId=${encodeURIComponent(req.poolId)}&username=${encodeURIComponent(req.username ?? req.email)}`;
      const res = await fetchImpl(url, { headers });
      if (res.status === 404)
        throw new SkipStep(`${baseUrl} has no /_twin/messages inbox to read ${req.reason} codes from`);
      if (res.status === 401)
        throw new Error(
          `${baseUrl} wants its control token for /_twin/messages (HTTP 401): pass --control-token or set COGNITO_TWIN_CONTROL_TOKEN`,
        );
      if (!res.ok) throw new Error(`GET /_twin/messages answered HTTP ${res.status}`);
      const { messages } = (await res.json()) as { messages: InboxMessage[] };
      const reasons = req.reason === "SignUp" ? ["SignUp", "ResendCode"] : [req.reason];
      const found = messages.filter((m) => reasons.includes(m.reason) && m.code !== undefined).at(-1);
      if (!found?.code) throw new Error(`the inbox holds no ${req.reason} code for ${req.email} in ${req.poolId}`);
      return found.code;
    },
  };
}

/** For live Cognito without a way to read mail: every code step is skipped with this reason. */
export function noCodes(reason: string): CodeSource {
  return {
    name: "none",
    automatic: false,
    code() {
      return Promise.reject(new SkipStep(reason));
    },
  };
}

/** Asks a person at the terminal; an empty answer skips the step. */
export function promptCodes(
  io: { input: NodeJS.ReadableStream & { isTTY?: boolean }; output: NodeJS.WritableStream } = {
    input: process.stdin,
    output: process.stderr,
  },
): CodeSource {
  return {
    name: "prompt",
    automatic: false,
    async code(req) {
      if (!io.input.isTTY) throw new SkipStep("--code-source prompt needs an interactive terminal");
      const rl = createInterface({ input: io.input, output: io.output, terminal: true });
      try {
        const answer = (await rl.question(`\n  ${req.reason} code sent to ${req.email} (empty to skip): `)).trim();
        if (answer === "") throw new SkipStep(`no ${req.reason} code entered for ${req.email}`);
        return answer;
      } finally {
        rl.close();
      }
    },
  };
}

/**
 * Runs a shell command per code with `CODE_EMAIL`, `CODE_USERNAME`, `CODE_REASON` and
 * `COGNITO_USER_POOL_ID` in its environment, and takes the code from its stdout (the first
 * 6-8 digit number, else the trimmed output). A failing, silent or slow command skips the step.
 */
export function commandCodes(
  command: string,
  options: { timeoutMs?: number; env?: Readonly<Record<string, string | undefined>> } = {},
): CodeSource {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return {
    name: `command:${command}`,
    automatic: true,
    code(req: CodeRequest) {
      return new Promise((resolve, reject) => {
        const child = spawn(command, {
          shell: true,
          // Its own process group, so a timeout stops the shell and whatever it started.
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
          env: {
            ...(options.env ?? process.env),
            CODE_EMAIL: req.email,
            CODE_USERNAME: req.username ?? req.email,
            CODE_REASON: req.reason,
            COGNITO_USER_POOL_ID: req.poolId,
          },
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        const timer = setTimeout(() => {
          try {
            if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
          } catch {
            child.kill("SIGTERM");
          }
          reject(new SkipStep(`code command gave no code within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        child.on("error", (e) => {
          clearTimeout(timer);
          reject(new SkipStep(`code command could not run: ${e.message}`));
        });
        child.on("close", (code) => {
          clearTimeout(timer);
          if (code !== 0)
            return reject(
              new SkipStep(`code command exited with ${code}${err.trim() ? `: ${err.trim().slice(0, 200)}` : ""}`),
            );
          const digits = /\b\d{6,8}\b/.exec(out)?.[0];
          const value = digits ?? out.trim();
          if (value === "") return reject(new SkipStep("code command printed no code"));
          resolve(value);
        });
      });
    },
  };
}

/** Parses `--code-source`: `prompt`, `command:<shell command>`, `none`. */
export function parseCodeSource(spec: string, env: Readonly<Record<string, string | undefined>>): CodeSource {
  if (spec === "prompt") return promptCodes();
  if (spec === "none") return noCodes("--code-source none: codes are not read");
  if (spec.startsWith("command:") && spec.length > "command:".length)
    return commandCodes(spec.slice("command:".length), { env });
  throw new Error(`--code-source must be prompt, none or command:<shell command>, not "${spec}"`);
}
