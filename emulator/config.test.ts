// Settings: defaults, flags, environment variables, precedence, and the errors the CLI prints.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_CONFIG, OPTIONS, readConfig, resolveConfig, type TwinConfig, USAGE } from "./config.js";

const dir = mkdtempSync(join(tmpdir(), "twin-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(argv: string[], env: Record<string, string> = {}): TwinConfig {
  const config = readConfig(argv, env);
  if (config === "help") throw new Error("unexpected help");
  return config;
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("resolveConfig", () => {
  it("fills defaults and freezes the result", () => {
    const config = resolveConfig();
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 9229,
      region: "us-east-1",
      accountId: "000000000000",
      issuer: "aws",
      maxBodyBytes: 1048576,
      logLevel: "info",
      allowUnsigned: false,
      journalMaxBytes: 64 * 1024 * 1024,
      recover: false,
    });
    expect(config.controlToken).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CONFIG)).toBe(true);
  });

  it("keeps defaults where a partial config says undefined", () => {
    expect(resolveConfig({ port: undefined, region: "eu-central-1" })).toMatchObject({
      port: 9229,
      region: "eu-central-1",
    });
  });

  it("refuses what token verifiers or sockets would refuse later", () => {
    expect(configError(() => resolveConfig({ region: "local" }))).toMatch(/region "local" is not an AWS region name/);
    expect(configError(() => resolveConfig({ port: 70000 }))).toBe("port 70000 is not a port number");
    expect(configError(() => resolveConfig({ port: -1 }))).toBe("port -1 is not a port number");
    expect(configError(() => resolveConfig({ issuer: "oidc" as never }))).toBe(
      'issuer must be "aws" or "local", not "oidc"',
    );
    expect(configError(() => resolveConfig({ logLevel: "trace" as never }))).toBe(
      "log level must be silent, info or debug",
    );
    expect(configError(() => resolveConfig({ accountId: "123" }))).toBe("account id must be 12 digits");
    expect(configError(() => resolveConfig({ maxBodyBytes: 0 }))).toBe(
      "max-body must be an integer of at least 1, not 0",
    );
    expect(configError(() => resolveConfig({ journalMaxBytes: 100 }))).toBe("journal-max must be at least 1024 bytes");
    expect(configError(() => resolveConfig({ recover: "yes" as never }))).toBe(
      "recover must be true or false, not yes",
    );
    for (const token of ["", "two words", "line\nbreak"])
      expect(configError(() => resolveConfig({ controlToken: token }))).toMatch(
        /^control-token must be printable ASCII/,
      );
  });

  it("accepts GovCloud and other partitions' region names", () => {
    expect(resolveConfig({ region: "us-gov-west-1" }).region).toBe("us-gov-west-1");
    expect(resolveConfig({ region: "ap-southeast-2" }).region).toBe("ap-southeast-2");
  });

  it("refuses a region so long that its pools' ids could not be named (at most 55 characters)", () => {
    const long = `us-${"a".repeat(3000)}-1`;
    expect(configError(() => resolveConfig({ region: long }))).toMatch(/is not an AWS region name/);
    expect(configError(() => resolveConfig({ region: `us-${"a".repeat(17)}-1` }))).toMatch(/is not an AWS region name/);
    expect(resolveConfig({ region: `us-${"a".repeat(16)}-1` }).region).toHaveLength(21);
  });
});

describe("OPTIONS", () => {
  it("declares each flag, variable and setting once, the variable named after the flag", () => {
    for (const field of ["flag", "env", "configKey"] as const)
      expect(new Set(OPTIONS.map((o) => o[field])).size).toBe(OPTIONS.length);
    // The one exception: `--trigger NAME=...` reads as one mapping, the variable holds the list.
    const plural = new Set(["trigger"]);
    for (const o of OPTIONS)
      expect(o.env).toBe(`COGNITO_TWIN_${o.flag.toUpperCase().replaceAll("-", "_")}${plural.has(o.flag) ? "S" : ""}`);
  });

  it("gives DEFAULT_CONFIG its values, and the usage its lines", () => {
    expect(DEFAULT_CONFIG).toEqual(
      Object.fromEntries(OPTIONS.filter((o) => o.default !== undefined).map((o) => [o.configKey, o.default])),
    );
    for (const o of OPTIONS) {
      expect(USAGE).toContain(o.arg ? `--${o.flag} ${o.arg}` : `--${o.flag}`);
      expect(USAGE).toContain(o.type === "boolean" ? `${o.env}=true` : o.env);
    }
    expect(USAGE).toContain("-h, --help");
  });
});

describe("readConfig", () => {
  it("answers help for -h and --help", () => {
    expect(readConfig(["--help"], {})).toBe("help");
    expect(readConfig(["-h", "--port", "1"], {})).toBe("help");
    expect(USAGE).toMatch(/^Usage: cognito-twin/);
  });

  it("uses the defaults with no flags and no environment", () => {
    expect(read([])).toEqual(resolveConfig());
  });

  it("reads every flag", () => {
    const config = read([
      "--host",
      "0.0.0.0",
      "--port",
      "0",
      "--region",
      "eu-west-1",
      "--issuer",
      "local",
      "--account-id",
      "123456789012",
      "--log-level",
      "debug",
      "--max-body",
      "2048",
      "--allow-unsigned",
    ]);
    expect(config).toMatchObject({
      host: "0.0.0.0",
      port: 0,
      region: "eu-west-1",
      issuer: "local",
      accountId: "123456789012",
      logLevel: "debug",
      maxBodyBytes: 2048,
      allowUnsigned: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads every environment variable", () => {
    const config = read([], {
      COGNITO_TWIN_HOST: "::1",
      COGNITO_TWIN_PORT: "9333",
      COGNITO_TWIN_REGION: "ap-south-1",
      COGNITO_TWIN_ISSUER: "local",
      COGNITO_TWIN_ACCOUNT_ID: "210987654321",
      COGNITO_TWIN_LOG_LEVEL: "silent",
      COGNITO_TWIN_MAX_BODY: "4096",
      COGNITO_TWIN_ALLOW_UNSIGNED: "true",
    });
    expect(config).toMatchObject({
      host: "::1",
      port: 9333,
      region: "ap-south-1",
      issuer: "local",
      accountId: "210987654321",
      logLevel: "silent",
      maxBodyBytes: 4096,
      allowUnsigned: true,
    });
  });

  it("lets a flag win over its environment variable", () => {
    const config = read(["--port", "1234", "--region", "us-west-2"], {
      COGNITO_TWIN_PORT: "4321",
      COGNITO_TWIN_REGION: "eu-west-1",
    });
    expect(config.port).toBe(1234);
    expect(config.region).toBe("us-west-2");
  });

  it("treats empty environment variables as unset, and only 'true' as true", () => {
    expect(read([], { COGNITO_TWIN_PORT: "", COGNITO_TWIN_MAX_BODY: "" })).toMatchObject({
      port: 9229,
      maxBodyBytes: 1048576,
    });
    expect(read([], { COGNITO_TWIN_SHARED_SIGNING_KEYS: "true" }).sharedSigningKeys).toBe(true);
    expect(read([], { COGNITO_TWIN_SHARED_SIGNING_KEYS: "false" }).sharedSigningKeys).toBe(false);
    expect(read([], { COGNITO_TWIN_ALLOW_UNSIGNED: "false" }).allowUnsigned).toBe(false);
    expect(read([], { COGNITO_TWIN_ALLOW_UNSIGNED: "1" }).allowUnsigned).toBe(false);
    expect(read([], { COGNITO_TWIN_HOST: "", COGNITO_TWIN_REGION: "", COGNITO_TWIN_ISSUER: "" })).toMatchObject({
      host: "127.0.0.1",
      region: "us-east-1",
      issuer: "aws",
    });
  });

  it("reads the control token and the recovery switch", () => {
    expect(read(["--control-token", "s3cr3t-token"]).controlToken).toBe("s3cr3t-token");
    expect(read([], { COGNITO_TWIN_CONTROL_TOKEN: "from-env" }).controlToken).toBe("from-env");
    expect(read(["--control-token", "flag"], { COGNITO_TWIN_CONTROL_TOKEN: "env" }).controlToken).toBe("flag");
    expect(read([], { COGNITO_TWIN_CONTROL_TOKEN: "" }).controlToken).toBeUndefined();
    expect(configError(() => readConfig(["--control-token", "has space"], {}))).toMatch(/^control-token must be/);
    expect(read(["--recover"]).recover).toBe(true);
    expect(read([], { COGNITO_TWIN_RECOVER: "true" }).recover).toBe(true);
    expect(read([], { COGNITO_TWIN_RECOVER: "yes" }).recover).toBe(false);
    expect(read([], { COGNITO_TWIN_RECOVER: "" }).recover).toBe(false);
    expect(USAGE).toContain("--control-token TOKEN");
    expect(USAGE).toContain("COGNITO_TWIN_RECOVER=true");
  });

  it("reads the allowed hosts as a comma-separated list of names, and refuses anything else", () => {
    expect(read(["--allowed-hosts", "Cognito, .svc.cluster.local,,10.0.0.5"]).allowedHosts).toEqual([
      "cognito",
      ".svc.cluster.local",
      "10.0.0.5",
    ]);
    expect(read([], { COGNITO_TWIN_ALLOWED_HOSTS: "twin" }).allowedHosts).toEqual(["twin"]);
    expect(read([], { COGNITO_TWIN_ALLOWED_HOSTS: "" }).allowedHosts).toBeUndefined();
    for (const bad of ["cognito:9229", "http://cognito", "a b", "*"])
      expect(
        configError(() => readConfig(["--allowed-hosts", bad], {})),
        bad,
      ).toMatch(/^allowed-hosts must be host names/);
    expect(USAGE).toContain("--allowed-hosts NAMES");
  });

  it("refuses unknown options, positionals, missing values and non-integers", () => {
    expect(configError(() => readConfig(["--nope"], {}))).toMatch(/Unknown option '--nope'/);
    expect(configError(() => readConfig(["serve"], {}))).toMatch(/positional argument/i);
    expect(configError(() => readConfig(["--port"], {}))).toMatch(/--port/);
    expect(configError(() => readConfig(["--port", "http"], {}))).toBe('port must be an integer, not "http"');
    expect(configError(() => readConfig([], { COGNITO_TWIN_PORT: "12.5" }))).toBe(
      'port must be an integer, not "12.5"',
    );
    expect(configError(() => readConfig(["--max-body", "1MB"], {}))).toBe('max-body must be an integer, not "1MB"');
    expect(configError(() => readConfig(["--recover=yes"], {}))).toMatch(/--recover/);
    expect(configError(() => readConfig(["--region", "local"], {}))).toMatch(/not an AWS region name/);
  });

  it("reads the seed file named by --config or COGNITO_TWIN_CONFIG", () => {
    const file = join(dir, "seed.json");
    const seed = {
      UserPools: [
        {
          Id: "us-east-1_Seeded001",
          PoolName: "seeded",
          Clients: [{ ClientName: "web", ClientId: "seededclient00000000000001" }],
        },
      ],
    };
    writeFileSync(file, JSON.stringify(seed));
    expect(read(["--config", file])).toMatchObject({ seedPath: file, seed });
    expect(read([], { COGNITO_TWIN_CONFIG: file })).toMatchObject({ seedPath: file, seed });
    expect(read([]).seed).toBeUndefined();
  });

  it("names the file when the seed cannot be read or parsed", () => {
    const missing = join(dir, "missing.json");
    expect(configError(() => readConfig(["--config", missing], {}))).toMatch(
      new RegExp(`^cannot read config file ${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: ENOENT`),
    );
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ not json");
    expect(configError(() => readConfig(["--config", broken], {}))).toMatch(
      /^config file .*broken\.json is not valid JSON: /,
    );
  });
});

describe("trigger settings", () => {
  it("reads --lambda-endpoint or COGNITO_TWIN_LAMBDA_ENDPOINT: an http(s) URL or aws", () => {
    expect(read(["--lambda-endpoint", "http://127.0.0.1:3001"]).lambdaEndpoint).toBe("http://127.0.0.1:3001");
    expect(read([], { COGNITO_TWIN_LAMBDA_ENDPOINT: "https://lambda.local:4566/" }).lambdaEndpoint).toBe(
      "https://lambda.local:4566/",
    );
    expect(read(["--lambda-endpoint", "aws"]).lambdaEndpoint).toBe("aws");
    expect(read([]).lambdaEndpoint).toBeUndefined();
    expect(configError(() => readConfig(["--lambda-endpoint", "127.0.0.1:3001"], {}))).toBe(
      'lambda-endpoint must be an http(s) URL or "aws", not "127.0.0.1:3001"',
    );
  });

  it("reads --trigger or COGNITO_TWIN_TRIGGERS: NAME=./file.ts#export pairs, comma-separated", () => {
    expect(
      read([
        "--trigger",
        "pre-signup=./triggers/pre-signup.ts#handler, arn:aws:lambda:us-east-1:123456789012:function:post=./post.js",
      ]).triggers,
    ).toEqual({
      "pre-signup": "./triggers/pre-signup.ts#handler",
      "arn:aws:lambda:us-east-1:123456789012:function:post": "./post.js",
    });
    expect(read([], { COGNITO_TWIN_TRIGGERS: "migrate=./m.ts#migrate," }).triggers).toEqual({
      migrate: "./m.ts#migrate",
    });
    expect(read([]).triggers).toBeUndefined();
    expect(configError(() => readConfig(["--trigger", "pre-signup"], {}))).toBe(
      'trigger "pre-signup" is not NAME=./file.ts#export',
    );
    expect(configError(() => readConfig(["--trigger", "=./x.ts"], {}))).toBe(
      'trigger "=./x.ts" is not NAME=./file.ts#export',
    );
    expect(configError(() => readConfig([], { COGNITO_TWIN_TRIGGERS: "a=" }))).toBe(
      'trigger "a=" is not NAME=./file.ts#export',
    );
  });
});
