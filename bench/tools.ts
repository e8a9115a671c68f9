// The three servers compared, and what differs between them: how each starts, what its
// GetUser checks, and (cognito-local only) how its data file can be filled directly.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Launch } from "./api.js";

/** Names as they appear in the results. */
export type ToolName = "cognito-twin" | "cognito-local" | "moto";

/** One server under comparison. */
export interface Tool {
  readonly name: ToolName;
  /** Version string, or undefined when the tool cannot run here. */
  readonly version: string | undefined;
  /** Why the tool is skipped, when it is. */
  readonly unavailable?: string;
  /** What its GetUser checks of an access token. */
  readonly tokenCheck: string;
  /** A launch on `port`; `dir` is a fresh scratch directory the caller removes. */
  launch(port: number, dir: string): Launch;
  /**
   * Writes `count` users straight into the tool's state (between runs), so that latency and
   * memory at sizes too slow to reach through its API can still be measured. Absent when the
   * tool keeps its state only in memory.
   */
  prepopulate?(
    dir: string,
    poolId: string,
    count: number,
    user: (i: number) => { email: string; name: string; password: string },
  ): void;
}

/** A scratch directory for one server process. */
export function scratchDir(name: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The three tools, each probed for availability. */
export function tools(root: string): Tool[] {
  return [twin(root), cognitoLocal(root), moto()];
}

/**
 * cognito-twin, by default its build (dist/emulator/cli.js). A bench run alone passes `node`'s
 * arguments for another command, such as the sources through tsx, and the version to report.
 */
export function twin(
  root: string,
  cli: readonly string[] = [join(root, "dist", "emulator", "cli.js")],
  version?: string,
): Tool {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  return {
    name: "cognito-twin",
    version: version ?? pkg.version,
    tokenCheck: "RS256 signature (cached per token string), expiry, token_use, revocation and user state on every call",
    launch: (port) => ({
      command: process.execPath,
      args: [...cli, "--host", "127.0.0.1", "--port", String(port), "--log-level", "silent"],
      options: { cwd: root },
    }),
  };
}

function cognitoLocal(root: string): Tool {
  const dirOf = join(root, "node_modules", "cognito-local");
  let version: string | undefined;
  try {
    version = (JSON.parse(readFileSync(join(dirOf, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    version = undefined;
  }
  return {
    name: "cognito-local",
    version,
    ...(version
      ? {}
      : { unavailable: "node_modules/cognito-local is not installed (npm ci installs it as a dev dependency)" }),
    tokenCheck: "decodes the token and looks the user up by its sub: no signature, expiry or revocation check",
    launch: (port, dir) => ({
      command: process.execPath,
      args: [join(dirOf, "lib", "bin", "start.js")],
      options: { cwd: dir, env: { ...process.env, HOST: "127.0.0.1", PORT: String(port) } },
    }),
    prepopulate(dir, poolId, count, user) {
      const file = join(dir, ".cognito", "db", `${poolId}.json`);
      const db = JSON.parse(readFileSync(file, "utf8")) as { Users: Record<string, unknown> };
      const now = new Date().toISOString();
      const users: Record<string, unknown> = {};
      for (let i = 0; i < count; i++) {
        const u = user(i);
        const sub = randomUUID();
        // The record shape cognito-local's AdminCreateUser + AdminSetUserPassword write.
        users[sub] = {
          Username: sub,
          Password: u.password,
          Attributes: [
            { Name: "email", Value: u.email },
            { Name: "email_verified", Value: "true" },
            { Name: "name", Value: u.name },
            { Name: "sub", Value: sub },
          ],
          Enabled: true,
          UserStatus: "CONFIRMED",
          UserCreateDate: now,
          UserLastModifiedDate: now,
          RefreshTokens: [],
        };
      }
      db.Users = users;
      writeFileSync(file, JSON.stringify(db));
    },
  };
}

function moto(): Tool {
  let version: string | undefined;
  let unavailable: string | undefined;
  try {
    version = execFileSync("python3", ["-c", "import moto, moto.server, flask; print(moto.__version__)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch (e) {
    unavailable = `python3 cannot import moto's server (${(e as Error).message.split("\n")[0]}); install it with pip install "moto[server]"`;
  }
  return {
    name: "moto",
    version,
    ...(unavailable ? { unavailable } : {}),
    tokenCheck: "looks the token up in its table of issued tokens: no signature or expiry check",
    launch: (port) => ({
      command: "python3",
      args: ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)],
      options: { env: { ...process.env, PYTHONUNBUFFERED: "1" } },
    }),
  };
}

/** The pool file cognito-local wrote for a pool (to check prepopulate's target exists). */
export function cognitoLocalPoolFiles(dir: string): string[] {
  try {
    return readdirSync(join(dir, ".cognito", "db"));
  } catch {
    return [];
  }
}
