// Settings, read from the command line and the environment once, at the entry point, and
// frozen before they reach createApp. Nothing else in the emulator reads process.env.
//
// Each option is declared once, in OPTIONS: its flag, environment variable, type, default and
// description. The parser, the environment mapping, DEFAULT_CONFIG, the checks of resolveConfig,
// the --help text and the table in docs/command-line.md (npm run generate:cli-docs) come from it.
// A leaf module: it imports nothing from the emulator but the seed file's types.
import { readFileSync } from "node:fs";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { parseQuotaSpec, type QuotaCategory, quotaProblem } from "./core/quotas.js";
import type { SeedFile } from "./seed-file.js";

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
  /** `text` lines, or one JSON object per line (the request log's entries, and every other log line). */
  readonly logFormat: "text" | "json";
  /** Pools, clients, groups and users created at start with fixed ids. */
  readonly seed?: SeedFile;
  readonly seedPath?: string;
  /** Accept SigV4-signed operations without an Authorization header (off: Cognito refuses them). */
  readonly allowUnsigned: boolean;
  /** Keep state in this directory (snapshot + fsynced journal) across restarts; unset: memory only. */
  readonly dataDir?: string;
  /** With dataDir: compact the journal into a snapshot once it reaches this many bytes. */
  readonly journalMaxBytes?: number;
  /** When set, every /_twin/* request must carry it (`X-Twin-Control-Token` or `Bearer`). */
  readonly controlToken?: string;
  /**
   * Host names accepted besides loopback, the listen address and the public URL's host (a
   * compose service name, say); `.example.com` accepts every name under example.com.
   */
  readonly allowedHosts?: readonly string[];
  /** Start from a damaged data directory: keep the journal's good prefix, move the rest aside. */
  readonly recover: boolean;
  /**
   * Every user pool signs with the same two RSA key pairs (under kids of its own) instead of
   * pairs of its own: a new pool's first sign-in then waits for no key generation (50-800 ms).
   */
  readonly sharedSigningKeys: boolean;
  /** AWS Lambda's Invoke endpoint for triggers (`http://127.0.0.1:3001`), or `aws` for the real one. */
  readonly lambdaEndpoint?: string;
  /** Trigger functions run in-process: function ARN or name to `./file.ts#export` (from the working directory). */
  readonly triggers?: Readonly<Record<string, string>>;
  /**
   * Social providers reached at a team's own mock instead of the built-in stand-in: ProviderType
   * (`Google`, `Facebook`, `LoginWithAmazon`, `SignInWithApple`) to its base URL.
   */
  readonly socialUpstreams?: Readonly<Partial<Record<SocialProviderName, string>>>;
  /**
   * The quota mode: Cognito's request-rate quotas per operation category, these rates where given
   * and AWS's defaults for the rest (`{}`: AWS's for all); unset: off (docs/faults.md).
   */
  readonly quotas?: Readonly<Partial<Record<QuotaCategory, number>>>;
}

/** The ProviderTypes of the social identity providers (domain/federation/social.ts). */
type SocialProviderName = "Google" | "Facebook" | "LoginWithAmazon" | "SignInWithApple";

/** The settings an option sets (the seed itself is read from the file `seedPath` names). */
type OptionKey = Exclude<keyof TwinConfig, "seed">;

/** One option as declared: typed against the setting it fills. */
interface OptionSpec<K extends OptionKey> {
  /** The long flag, without its dashes. */
  readonly flag: string;
  /** What the flag's value is called in the usage and the docs (booleans take none). */
  readonly arg?: string;
  /** The environment variable; a flag wins over it, and an empty one counts as unset. */
  readonly env: string;
  /** `boolean`: a flag with no value, its variable on only when exactly `true`. */
  readonly type: "string" | "integer" | "boolean" | "enum";
  /** The values an enum takes. */
  readonly choices?: readonly TwinConfig[K][];
  readonly configKey: K;
  /** The setting when neither flag nor variable is given; what DEFAULT_CONFIG holds. */
  readonly default?: TwinConfig[K];
  /** What the docs say instead when there is no default (`none` unless given). */
  readonly unset?: string;
  /** Markdown, for the docs; the usage shows it plain (code spans without backticks, links as their text). */
  readonly description: string;
  /** For integers: the smallest value accepted. */
  readonly min?: number;
  /** Turns the flag's or variable's text into the setting, in place of the type's conversion. */
  parse?(text: string): TwinConfig[K] | undefined;
  /** Why a set value cannot be used, or undefined; in place of the type's own check. */
  check?(value: NonNullable<TwinConfig[K]>): string | undefined;
}

/** An option of the command line (OPTIONS holds them all). */
export interface CliOption {
  readonly flag: string;
  readonly arg?: string;
  readonly env: string;
  readonly type: "string" | "integer" | "boolean" | "enum";
  readonly choices?: readonly unknown[];
  readonly configKey: OptionKey;
  readonly default?: unknown;
  readonly unset?: string;
  readonly description: string;
  readonly min?: number;
  parse?(text: string): unknown;
  check?(value: unknown): string | undefined;
}

function option<K extends OptionKey>(spec: OptionSpec<K>): CliOption {
  return spec;
}

/**
 * An AWS region name (us-east-1, us-gov-west-1, ap-southeast-5), also what a SigV4 credential
 * scope must name (protocol/sigv4.ts). The middle word is bounded: a pool id is
 * `<region>_<9 characters>` and may be at most 55 long, so a longer region makes pools no call
 * can name.
 */
export const REGION = /^[a-z]{2}(-gov)?-[a-z]{1,16}-\d$/;

/** A name --allowed-hosts takes: a host name or IP address without its port, or `.suffix`. */
const HOST_NAME = /^(\.?[a-z0-9_-]+(\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])$/i;

/** Every option of the command line, in the order the usage and the docs list them. */
export const OPTIONS: readonly CliOption[] = Object.freeze([
  option({
    flag: "host",
    arg: "HOST",
    env: "COGNITO_TWIN_HOST",
    type: "string",
    configKey: "host",
    default: "127.0.0.1",
    description: "address to listen on (`0.0.0.0` in a container)",
  }),
  option({
    flag: "port",
    arg: "PORT",
    env: "COGNITO_TWIN_PORT",
    type: "integer",
    configKey: "port",
    default: 9229,
    description: "port to listen on; `0` picks a free one (the ready line shows which)",
    check: (port) =>
      Number.isInteger(port) && port >= 0 && port <= 65535 ? undefined : `port ${port} is not a port number`,
  }),
  option({
    flag: "region",
    arg: "REGION",
    env: "COGNITO_TWIN_REGION",
    type: "string",
    configKey: "region",
    default: "us-east-1",
    description:
      "region of new pools when a request carries no SigV4 scope; a real region name, since token verifiers check it",
    check: (region) =>
      REGION.test(region)
        ? undefined
        : `region "${region}" is not an AWS region name (like us-east-1); token verifiers reject others`,
  }),
  option({
    flag: "config",
    arg: "FILE",
    env: "COGNITO_TWIN_CONFIG",
    type: "string",
    configKey: "seedPath",
    description: "JSON seed of pools, clients, groups and users, created at start and on every `POST /_twin/reset`",
  }),
  option({
    flag: "issuer",
    arg: "MODE",
    env: "COGNITO_TWIN_ISSUER",
    type: "enum",
    choices: ["aws", "local"],
    configKey: "issuer",
    default: "aws",
    description:
      "`aws`: tokens' `iss` is `https://cognito-idp.<region>.amazonaws.com/<poolId>`; `local`: the emulator's own URL",
    check: (issuer) =>
      issuer === "aws" || issuer === "local" ? undefined : `issuer must be "aws" or "local", not "${String(issuer)}"`,
  }),
  option({
    flag: "account-id",
    arg: "ID",
    env: "COGNITO_TWIN_ACCOUNT_ID",
    type: "string",
    configKey: "accountId",
    default: "000000000000",
    description: "12 digits, used in pool ARNs",
    check: (id) => (/^\d{12}$/.test(id) ? undefined : "account id must be 12 digits"),
  }),
  option({
    flag: "log-level",
    arg: "LEVEL",
    env: "COGNITO_TWIN_LOG_LEVEL",
    type: "enum",
    choices: ["silent", "info", "debug"],
    configKey: "logLevel",
    default: "info",
    description: "`silent`, `info` or `debug` (the ready line is always printed)",
    check: (level) =>
      ["silent", "info", "debug"].includes(level) ? undefined : "log level must be silent, info or debug",
  }),
  option({
    flag: "log-format",
    arg: "FORMAT",
    env: "COGNITO_TWIN_LOG_FORMAT",
    type: "enum",
    choices: ["text", "json"],
    configKey: "logFormat",
    default: "text",
    description:
      "`text`, or `json`: one JSON object per line, for the request log and every other log line but the ready line (see [request log](request-log.md))",
    check: (format) => (format === "text" || format === "json" ? undefined : "log format must be text or json"),
  }),
  option({
    flag: "max-body",
    arg: "BYTES",
    env: "COGNITO_TWIN_MAX_BODY",
    type: "integer",
    configKey: "maxBodyBytes",
    default: 1024 * 1024,
    min: 1,
    description: "largest request body accepted, in bytes",
  }),
  option({
    flag: "max-header-size",
    arg: "BYTES",
    env: "COGNITO_TWIN_MAX_HEADER_SIZE",
    type: "integer",
    configKey: "maxHeaderBytes",
    default: 16 * 1024,
    min: 1024,
    description: "largest request head (request line and headers) in bytes, at least 1024 (HTTP 431 beyond)",
  }),
  option({
    flag: "max-users-per-pool",
    arg: "N",
    env: "COGNITO_TWIN_MAX_USERS_PER_POOL",
    type: "integer",
    configKey: "maxUsersPerPool",
    default: 1_000_000,
    min: 1,
    description: "users one pool may hold; `SignUp` and `AdminCreateUser` answer `LimitExceededException` beyond it",
  }),
  option({
    flag: "headers-timeout",
    arg: "MS",
    env: "COGNITO_TWIN_HEADERS_TIMEOUT",
    type: "integer",
    configKey: "headersTimeoutMs",
    default: 60_000,
    min: 1,
    description:
      "time a client has to send its headers (HTTP 408 `RequestTimeoutException` after it); not more than `--request-timeout`",
  }),
  option({
    flag: "request-timeout",
    arg: "MS",
    env: "COGNITO_TWIN_REQUEST_TIMEOUT",
    type: "integer",
    configKey: "requestTimeoutMs",
    default: 300_000,
    min: 1,
    description: "time a client has to send the whole request, body included",
  }),
  option({
    flag: "allow-unsigned",
    env: "COGNITO_TWIN_ALLOW_UNSIGNED",
    type: "boolean",
    configKey: "allowUnsigned",
    default: false,
    description: "accept admin (SigV4) operations sent without an `Authorization` header",
  }),
  option({
    flag: "shared-signing-keys",
    env: "COGNITO_TWIN_SHARED_SIGNING_KEYS",
    type: "boolean",
    configKey: "sharedSigningKeys",
    default: false,
    description:
      "every user pool signs with the same two RSA key pairs, under `kid`s of its own, so a new pool's first sign-in waits for no key generation (for test suites that make many pools; see [tokens](tokens.md#shared-signing-keys))",
  }),
  option({
    flag: "public-url",
    arg: "URL",
    env: "COGNITO_TWIN_PUBLIC_URL",
    type: "string",
    configKey: "publicUrl",
    description: "the URL clients reach it at, for `local` issuers behind a port map or proxy",
    parse: toPublicUrl,
  }),
  option({
    flag: "data-dir",
    arg: "DIR",
    env: "COGNITO_TWIN_DATA_DIR",
    type: "string",
    configKey: "dataDir",
    unset: "memory only",
    description: "keep state across restarts (see [persistence](persistence.md))",
  }),
  option({
    flag: "journal-max",
    arg: "BYTES",
    env: "COGNITO_TWIN_JOURNAL_MAX",
    type: "integer",
    configKey: "journalMaxBytes",
    default: 64 * 1024 * 1024,
    description: "compact the journal past this size, at least 1024 (see [persistence](persistence.md))",
    check: (bytes) => (bytes >= 1024 ? undefined : "journal-max must be at least 1024 bytes"),
  }),
  option({
    flag: "recover",
    env: "COGNITO_TWIN_RECOVER",
    type: "boolean",
    configKey: "recover",
    default: false,
    description:
      "start from a damaged data directory: keep the good prefix of the journal, move the rest aside, and record the recovery",
  }),
  option({
    flag: "control-token",
    arg: "TOKEN",
    env: "COGNITO_TWIN_CONTROL_TOKEN",
    type: "string",
    configKey: "controlToken",
    description:
      "when set, every `/_twin/*` request must carry it in the `X-Twin-Control-Token` header or as a `Bearer` token",
    // It travels in a header, and after `Bearer ` as one word.
    check: (token) =>
      /^[\x21-\x7e]+$/.test(token)
        ? undefined
        : "control-token must be printable ASCII characters without spaces, and not empty",
  }),
  option({
    flag: "allowed-hosts",
    arg: "NAMES",
    env: "COGNITO_TWIN_ALLOWED_HOSTS",
    type: "string",
    configKey: "allowedHosts",
    description:
      "`Host` names to answer besides loopback, the listen address and the `--public-url` host, comma-separated; `.example.com` takes every name under it (see [security](security.md))",
    parse: (text) =>
      text
        .split(",")
        .map((name) => name.trim().toLowerCase())
        .filter((name) => name !== ""),
    check: (names) =>
      Array.isArray(names) && names.every((name) => typeof name === "string" && HOST_NAME.test(name))
        ? undefined
        : `allowed-hosts must be host names without ports, comma-separated (like cognito,.test.internal), not "${String(names)}"`,
  }),
  option({
    flag: "lambda-endpoint",
    arg: "URL",
    env: "COGNITO_TWIN_LAMBDA_ENDPOINT",
    type: "string",
    configKey: "lambdaEndpoint",
    unset: "in-process triggers only",
    description:
      "AWS Lambda's Invoke API for the pools' triggers (`sam local start-lambda` at `http://127.0.0.1:3001`, LocalStack, serverless-offline), or `aws` for real Lambda with AWS's credential chain (see [triggers](triggers.md))",
    check: (url) =>
      url === "aws" || /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(url)
        ? undefined
        : `lambda-endpoint must be an http(s) URL or "aws", not "${url}"`,
  }),
  option({
    flag: "trigger",
    arg: "MAP",
    env: "COGNITO_TWIN_TRIGGERS",
    type: "string",
    configKey: "triggers",
    description:
      "trigger functions run in this process: `NAME=./file.ts#export`, comma-separated, where NAME is a function name or ARN of the pools' `LambdaConfig` and the path starts from the working directory (see [triggers](triggers.md))",
    parse: parseTriggerMap,
    check: (map) =>
      typeof map === "object" &&
      map !== null &&
      Object.entries(map).every(([k, v]) => k !== "" && typeof v === "string" && v !== "")
        ? undefined
        : "trigger must be NAME=./file.ts#export pairs, comma-separated",
  }),
  option({
    flag: "social-upstream",
    arg: "MAP",
    env: "COGNITO_TWIN_SOCIAL_UPSTREAM",
    type: "string",
    configKey: "socialUpstreams",
    unset: "the built-in stand-ins",
    description:
      "social providers reached at your own mock instead of the built-in stand-in: `PROVIDER=URL`, comma-separated, PROVIDER one of `google`, `facebook`, `amazon`, `apple` (or the ProviderType), the URL taking the place of the provider's scheme and host while every path stays the real one (see [federation](federation.md#social-providers-google-facebook-login-with-amazon-sign-in-with-apple))",
    parse: parseSocialUpstreams,
    check: (map) =>
      typeof map === "object" &&
      map !== null &&
      Object.entries(map).every(
        ([k, v]) =>
          Object.values(SOCIAL_ALIASES).includes(k as SocialProviderName) &&
          typeof v === "string" &&
          /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(v),
      )
        ? undefined
        : "social-upstream must be PROVIDER=http(s)://URL pairs, comma-separated, PROVIDER one of google, facebook, amazon, apple",
  }),
  option({
    flag: "quotas",
    arg: "SPEC",
    env: "COGNITO_TWIN_QUOTAS",
    type: "string",
    configKey: "quotas",
    unset: "off",
    description:
      "the quota mode: Cognito's request-rate quotas per operation category, answered with `TooManyRequestsException` past them; `aws` for AWS's default rates, or `CATEGORY=RPS` pairs, comma-separated, for other rates (AWS's for the rest); `off` for none (see [faults](faults.md#the-quota-mode))",
    parse: (text) => {
      if (text.trim() === "" || text.trim().toLowerCase() === "off") return undefined;
      try {
        return parseQuotaSpec(text);
      } catch (e) {
        throw new ConfigError((e as Error).message);
      }
    },
    check: (rates) => {
      if (typeof rates !== "object" || rates === null || Array.isArray(rates))
        return "quotas must map quota categories to requests per second";
      for (const [name, rate] of Object.entries(rates)) {
        const problem = quotaProblem(name, rate);
        if (problem) return `quotas: ${problem}`;
      }
      return undefined;
    },
  }),
]);

/** What --social-upstream accepts for each social ProviderType, lower-cased. */
const SOCIAL_ALIASES: Readonly<Record<string, SocialProviderName>> = {
  google: "Google",
  facebook: "Facebook",
  amazon: "LoginWithAmazon",
  loginwithamazon: "LoginWithAmazon",
  apple: "SignInWithApple",
  signinwithapple: "SignInWithApple",
};

/** `google=http://mock:8080,apple=http://mock:8081` into a map by ProviderType; others are refused. */
function parseSocialUpstreams(text: string): Partial<Record<SocialProviderName, string>> {
  const map: Partial<Record<SocialProviderName, string>> = {};
  for (const pair of text.split(",")) {
    if (pair.trim() === "") continue;
    const eq = pair.indexOf("=");
    const type = eq > 0 ? SOCIAL_ALIASES[pair.slice(0, eq).trim().toLowerCase()] : undefined;
    const url = pair
      .slice(eq + 1)
      .trim()
      .replace(/\/+$/, "");
    if (!type || !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(url))
      throw new ConfigError(
        `social-upstream "${pair.trim()}" is not PROVIDER=http(s)://URL (PROVIDER one of google, facebook, amazon, apple)`,
      );
    map[type] = url;
  }
  return map;
}

/** `a=./x.ts#handler,b=./y.js` into a map; a pair without `=` is refused. */
function parseTriggerMap(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of text.split(",")) {
    if (pair.trim() === "") continue;
    const eq = pair.indexOf("=");
    if (eq <= 0 || eq === pair.length - 1)
      throw new ConfigError(`trigger "${pair.trim()}" is not NAME=./file.ts#export`);
    map[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return map;
}

/** The one flag that is not a setting. */
const HELP = { flag: "help", short: "h", description: "the usage text" } as const;

/** Defaults, also what createApp fills in for a partial config. */
export const DEFAULT_CONFIG: TwinConfig = Object.freeze(
  Object.fromEntries(OPTIONS.filter((o) => o.default !== undefined).map((o) => [o.configKey, o.default])) as object,
) as TwinConfig;

/** Thrown for a setting that cannot be used; the CLI prints it and exits 2. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Fills a partial config with defaults, checks it, and freezes it. */
export function resolveConfig(partial: Partial<TwinConfig> = {}): TwinConfig {
  const config: TwinConfig = { ...DEFAULT_CONFIG, ...stripUndefined(partial) };
  for (const o of OPTIONS) {
    const value: unknown = config[o.configKey];
    if (value === undefined) continue;
    const problem = o.check ? o.check(value) : typeProblem(o, value);
    if (problem !== undefined) throw new ConfigError(problem);
  }
  // Node refuses a server whose head may take longer than the whole request.
  if (config.headersTimeoutMs > config.requestTimeoutMs)
    throw new ConfigError(
      `headers-timeout (${config.headersTimeoutMs} ms) must not exceed request-timeout (${config.requestTimeoutMs} ms)`,
    );
  return Object.freeze(config);
}

/** The check of an option that declares none: its type's (and for integers, its minimum). */
function typeProblem(o: CliOption, value: unknown): string | undefined {
  switch (o.type) {
    case "integer": {
      const min = o.min ?? Number.MIN_SAFE_INTEGER;
      return Number.isSafeInteger(value) && (value as number) >= min
        ? undefined
        : `${o.flag} must be an integer of at least ${min}, not ${String(value)}`;
    }
    case "boolean":
      return typeof value === "boolean" ? undefined : `${o.flag} must be true or false, not ${String(value)}`;
    case "enum":
      return o.choices?.includes(value)
        ? undefined
        : `${o.flag} must be one of ${o.choices?.join(", ")}, not "${String(value)}"`;
    case "string":
      return typeof value === "string" ? undefined : `${o.flag} must be a string, not ${String(value)}`;
  }
}

/** Reads the command line and environment into a frozen config; `help` when asked for usage. */
export function readConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): TwinConfig | "help" {
  const options: NonNullable<ParseArgsConfig["options"]> = {
    [HELP.flag]: { type: "boolean", short: HELP.short },
  };
  for (const o of OPTIONS) options[o.flag] = { type: o.type === "boolean" ? "boolean" : "string" };
  // No option is `multiple`, so each value is a string, a boolean or absent.
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as typeof values;
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  if (values[HELP.flag]) return "help";
  const partial: Record<string, unknown> = {};
  for (const o of OPTIONS) {
    const flag = values[o.flag];
    const fromEnv = env[o.env] === "" ? undefined : env[o.env];
    if (typeof flag === "boolean") partial[o.configKey] = flag;
    else if (flag !== undefined) partial[o.configKey] = fromText(o, flag);
    else if (fromEnv !== undefined)
      partial[o.configKey] = o.type === "boolean" ? fromEnv === "true" : fromText(o, fromEnv);
  }
  const seedPath = partial.seedPath as string | undefined;
  return resolveConfig({ ...partial, seed: seedPath ? readSeed(seedPath) : undefined });
}

/** The setting a flag's or variable's text stands for (undefined: unset). */
function fromText(o: CliOption, text: string): unknown {
  if (o.parse) return o.parse(text);
  if (o.type !== "integer") return text;
  if (text === "") return undefined;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new ConfigError(`${o.flag} must be an integer, not "${text}"`);
  return n;
}

function readSeed(file: string): SeedFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  let seed: SeedFile;
  try {
    seed = JSON.parse(text) as SeedFile;
  } catch (e) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const triggers: unknown = (seed as { Triggers?: unknown } | null)?.Triggers;
  if (
    triggers !== undefined &&
    (typeof triggers !== "object" ||
      triggers === null ||
      Array.isArray(triggers) ||
      !Object.entries(triggers).every(([name, spec]) => name !== "" && typeof spec === "string" && spec !== ""))
  )
    throw new ConfigError(
      `config file ${file}: "Triggers" must map function names or ARNs to "./file.ts#export" strings`,
    );
  return seed;
}

// A container or proxy cannot see the address its clients use, so a local issuer must be told;
// the trailing slash is dropped because issuers are built as `${publicUrl}/${poolId}`.
function toPublicUrl(value: string): string | undefined {
  if (value === "") return undefined;
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

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** What an option's default reads as: the value, `off` for booleans, or what unset means. */
function defaultOf(o: CliOption): { text: string; literal: boolean } {
  if (o.default === undefined) return { text: o.unset ?? "none", literal: false };
  if (typeof o.default === "boolean") return { text: o.default ? "on" : "off", literal: false };
  return { text: String(o.default), literal: true };
}

function flagOf(o: { flag: string; arg?: string }): string {
  return o.arg ? `--${o.flag} ${o.arg}` : `--${o.flag}`;
}

function envOf(o: CliOption): string {
  return o.type === "boolean" ? `${o.env}=true` : o.env;
}

/** A description as the usage shows it: no code spans' backticks, links as their text. */
function plain(markdown: string): string {
  return markdown.replaceAll("`", "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
}

/** Splits text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

function usage(): string {
  const rows = [
    ...OPTIONS.map((o) => {
      const d = defaultOf(o);
      return { left: flagOf(o), text: plain(o.description), env: `${envOf(o)} (default: ${d.text})` };
    }),
    { left: `-${HELP.short}, --${HELP.flag}`, text: HELP.description, env: undefined },
  ];
  const indent = 2 + Math.max(...rows.map((r) => r.left.length)) + 2;
  const width = Math.max(40, 100 - indent);
  const lines = rows.flatMap((r) => {
    const [first = "", ...rest] = [...wrap(r.text, width), ...(r.env ? [r.env] : [])];
    return [`  ${r.left.padEnd(indent - 2)}${first}`, ...rest.map((l) => `${" ".repeat(indent)}${l}`)];
  });
  return `Usage: cognito-twin [options]
       cognito-twin export|import FILE --data-dir DIR   (see cognito-twin export --help)

Options (each also an environment variable; a flag wins over its variable, an empty variable
counts as unset, and a boolean variable is on only when it is exactly "true"):
${lines.join("\n")}
`;
}

/** Usage text of the command. */
export const USAGE = usage();

/** Where the options table starts and ends in docs/command-line.md. */
export const OPTIONS_MARKERS = { start: "<!-- options:start -->", end: "<!-- options:end -->" } as const;

/** The options as a Markdown table: option | environment variable | default | description. */
export function optionsMarkdown(): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const code = (text: string) => `\`${text}\``;
  const rows = [
    ["option", "environment variable", "default", "description"],
    ...OPTIONS.map((o) => {
      const d = defaultOf(o);
      return [code(flagOf(o)), code(envOf(o)), d.literal ? code(d.text) : d.text, o.description];
    }),
    [`${code(`-${HELP.short}`)}, ${code(`--${HELP.flag}`)}`, "", "", HELP.description],
  ].map((row) => row.map(cell));
  const widths = rows[0]!.map((_, i) => Math.max(3, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  const [head, ...body] = rows;
  return [line(head!), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...body.map(line)].join("\n");
}

/** A page with the table between OPTIONS_MARKERS replaced by optionsMarkdown(). */
export function withOptionsTable(page: string): string {
  const start = page.indexOf(OPTIONS_MARKERS.start);
  const end = page.indexOf(OPTIONS_MARKERS.end);
  if (start < 0 || end < start)
    throw new Error(`the page has no ${OPTIONS_MARKERS.start} … ${OPTIONS_MARKERS.end} section for the options`);
  return `${page.slice(0, start + OPTIONS_MARKERS.start.length)}\n${optionsMarkdown()}\n${page.slice(end)}`;
}
