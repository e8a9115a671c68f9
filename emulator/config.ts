// Settings, read from the command line and the environment once, at the entry point, and
// frozen before they reach createApp. Nothing else in the emulator reads process.env.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { SeedFile } from "./seed.js";

/** How tokens name their issuer. */
export type IssuerMode = "aws" | "local";

/** Everything createApp needs to know. */
export interface TwinConfig {
  readonly host: string;
  readonly port: number;
  /** Region for ids and ARNs when a request carries no SigV4 scope. */
  readonly region: string;
  readonly accountId: string;
  /**
   * `aws`: `https://cognito-idp.<region>.amazonaws.com/<poolId>` (what aws-jwt-verify expects);
   * `local`: the emulator's own URL, for OIDC libraries that fetch keys from the issuer.
   */
  readonly issuer: IssuerMode;
  /** Base URL the emulator is reached at (set once the port is known); used for local issuers. */
  readonly publicUrl?: string;
  readonly maxBodyBytes: number;
  /** Largest request head (request line plus headers), in bytes; larger ones get HTTP 431. */
  readonly maxHeaderBytes: number;
  /** Users a pool may hold; SignUp and AdminCreateUser answer LimitExceededException beyond. */
  readonly maxUsersPerPool: number;
  /** A client must send its whole request head within this many ms (HTTP 408, then closed). */
  readonly headersTimeoutMs: number;
  /** A client must send its whole request within this many ms (HTTP 408, then closed). */
  readonly requestTimeoutMs: number;
  readonly logLevel: "silent" | "info" | "debug";
  /** Pools, clients, groups and users created at start with fixed ids. */
  readonly seed?: SeedFile;
  readonly seedPath?: string;
  /** Accept SigV4-signed operations without an Authorization header (off: Cognito refuses them). */
  readonly allowUnsigned: boolean;
  /** Keep state in this directory (snapshot + fsynced journal) across restarts; unset: memory only. */
  readonly dataDir?: string;
  /** With dataDir: compact the journal into a snapshot once it reaches this many bytes. */
  readonly journalMaxBytes?: number;
}

/** Defaults, also what createApp fills in for a partial config. */
export const DEFAULT_CONFIG: TwinConfig = Object.freeze({
  host: "127.0.0.1",
  port: 9229,
  region: "us-east-1",
  accountId: "000000000000",
  issuer: "aws",
  maxBodyBytes: 1024 * 1024,
  maxHeaderBytes: 16 * 1024,
  maxUsersPerPool: 1_000_000,
  headersTimeoutMs: 60_000,
  requestTimeoutMs: 300_000,
  logLevel: "info",
  allowUnsigned: false,
});

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Thrown for a setting that cannot be used; the CLI prints it and exits 2. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Fills a partial config with defaults, checks it, and freezes it. */
export function resolveConfig(partial: Partial<TwinConfig> = {}): TwinConfig {
  const config = { ...DEFAULT_CONFIG, ...stripUndefined(partial) };
  if (!REGION.test(config.region)) {
    throw new ConfigError(
      `region "${config.region}" is not an AWS region name (like us-east-1); token verifiers reject others`,
    );
  }
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535)
    throw new ConfigError(`port ${config.port} is not a port number`);
  if (config.issuer !== "aws" && config.issuer !== "local")
    throw new ConfigError(`issuer must be "aws" or "local", not "${String(config.issuer)}"`);
  if (!["silent", "info", "debug"].includes(config.logLevel))
    throw new ConfigError(`log level must be silent, info or debug`);
  if (!/^\d{12}$/.test(config.accountId)) throw new ConfigError(`account id must be 12 digits`);
  for (const [name, value, min] of [
    ["max-body", config.maxBodyBytes, 1],
    ["max-header-size", config.maxHeaderBytes, 1024],
    ["max-users-per-pool", config.maxUsersPerPool, 1],
    ["headers-timeout", config.headersTimeoutMs, 1],
    ["request-timeout", config.requestTimeoutMs, 1],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < min)
      throw new ConfigError(`${name} must be an integer of at least ${min}, not ${String(value)}`);
  }
  // Node refuses a server whose head may take longer than the whole request.
  if (config.headersTimeoutMs > config.requestTimeoutMs)
    throw new ConfigError(
      `headers-timeout (${config.headersTimeoutMs} ms) must not exceed request-timeout (${config.requestTimeoutMs} ms)`,
    );
  if (config.journalMaxBytes !== undefined && !(config.journalMaxBytes >= 1024))
    throw new ConfigError(`journal-max must be at least 1024 bytes`);
  return Object.freeze(config);
}

/** Usage text of the command. */
export const USAGE = `Usage: cognito-twin [options]
       cognito-twin export|import FILE --data-dir DIR   (see cognito-twin export --help)

Options (each also as an environment variable):
  --host HOST        address to listen on            COGNITO_TWIN_HOST     (default 127.0.0.1)
  --port PORT        port; 0 picks a free one        COGNITO_TWIN_PORT     (default 9229)
  --region REGION    default region for new pools    COGNITO_TWIN_REGION   (default us-east-1)
  --config FILE      JSON seed of pools/clients/users COGNITO_TWIN_CONFIG
  --issuer MODE      aws | local                     COGNITO_TWIN_ISSUER   (default aws)
  --account-id ID    12-digit account id for ARNs    COGNITO_TWIN_ACCOUNT_ID
  --log-level LEVEL  silent | info | debug           COGNITO_TWIN_LOG_LEVEL (default info)
  --max-body BYTES   largest request body accepted   COGNITO_TWIN_MAX_BODY (default 1048576)
  --max-header-size BYTES largest request head       COGNITO_TWIN_MAX_HEADER_SIZE (default 16384)
  --max-users-per-pool N  users a pool may hold      COGNITO_TWIN_MAX_USERS_PER_POOL (default 1000000)
  --headers-timeout MS    time to send the head      COGNITO_TWIN_HEADERS_TIMEOUT (default 60000)
  --request-timeout MS    time to send the request   COGNITO_TWIN_REQUEST_TIMEOUT (default 300000)
  --allow-unsigned   accept admin calls without SigV4 COGNITO_TWIN_ALLOW_UNSIGNED=true
  --public-url URL   URL clients reach it at, for     COGNITO_TWIN_PUBLIC_URL
                     local issuers (behind a port map or proxy)
  --data-dir DIR     keep state in DIR across restarts COGNITO_TWIN_DATA_DIR (default: memory only)
  --journal-max BYTES snapshot the journal past this  COGNITO_TWIN_JOURNAL_MAX (default 67108864)
  -h, --help         this text
`;

/** Reads the command line and environment into a frozen config; `help` when asked for usage. */
export function readConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): TwinConfig | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        host: { type: "string" },
        port: { type: "string" },
        region: { type: "string" },
        config: { type: "string" },
        issuer: { type: "string" },
        "account-id": { type: "string" },
        "log-level": { type: "string" },
        "max-body": { type: "string" },
        "max-header-size": { type: "string" },
        "max-users-per-pool": { type: "string" },
        "headers-timeout": { type: "string" },
        "request-timeout": { type: "string" },
        "allow-unsigned": { type: "boolean" },
        "data-dir": { type: "string" },
        "journal-max": { type: "string" },
        "public-url": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  if (values.help) return "help";
  const seedPath = values.config ?? env.COGNITO_TWIN_CONFIG;
  return resolveConfig({
    host: values.host ?? env.COGNITO_TWIN_HOST,
    port: toInt(values.port ?? env.COGNITO_TWIN_PORT, "port"),
    region: values.region ?? env.COGNITO_TWIN_REGION,
    issuer: (values.issuer ?? env.COGNITO_TWIN_ISSUER) as TwinConfig["issuer"] | undefined,
    accountId: values["account-id"] ?? env.COGNITO_TWIN_ACCOUNT_ID,
    logLevel: (values["log-level"] ?? env.COGNITO_TWIN_LOG_LEVEL) as TwinConfig["logLevel"] | undefined,
    maxBodyBytes: toInt(values["max-body"] ?? env.COGNITO_TWIN_MAX_BODY, "max-body"),
    maxHeaderBytes: toInt(values["max-header-size"] ?? env.COGNITO_TWIN_MAX_HEADER_SIZE, "max-header-size"),
    maxUsersPerPool: toInt(values["max-users-per-pool"] ?? env.COGNITO_TWIN_MAX_USERS_PER_POOL, "max-users-per-pool"),
    headersTimeoutMs: toInt(values["headers-timeout"] ?? env.COGNITO_TWIN_HEADERS_TIMEOUT, "headers-timeout"),
    requestTimeoutMs: toInt(values["request-timeout"] ?? env.COGNITO_TWIN_REQUEST_TIMEOUT, "request-timeout"),
    allowUnsigned:
      values["allow-unsigned"] ??
      (env.COGNITO_TWIN_ALLOW_UNSIGNED ? env.COGNITO_TWIN_ALLOW_UNSIGNED === "true" : undefined),
    publicUrl: toPublicUrl(values["public-url"] ?? env.COGNITO_TWIN_PUBLIC_URL),
    dataDir: values["data-dir"] ?? (env.COGNITO_TWIN_DATA_DIR || undefined),
    journalMaxBytes: toInt(values["journal-max"] ?? env.COGNITO_TWIN_JOURNAL_MAX, "journal-max"),
    seedPath,
    seed: seedPath ? readSeed(seedPath) : undefined,
  });
}

function readSeed(file: string): SeedFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as SeedFile;
  } catch (e) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

// A container or proxy cannot see the address its clients use, so a local issuer must be told;
// the trailing slash is dropped because issuers are built as `${publicUrl}/${poolId}`.
function toPublicUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`public URL "${value}" is not a URL (like http://localhost:9229)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ConfigError(`public URL must be http or https, not "${url.protocol}"`);
  return value.replace(/\/+$/, "");
}

function toInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new ConfigError(`${name} must be an integer, not "${value}"`);
  return n;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
