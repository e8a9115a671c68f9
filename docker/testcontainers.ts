// A testcontainers module for the emulator's image, published as `cognito-twin/testcontainers`.
// testcontainers is an optional peer dependency: only projects that import this module need it.
import { existsSync } from "node:fs";
import { request } from "node:http";
import { createServer, isIP } from "node:net";
import { homedir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AbstractStartedContainer,
  type ContainerRuntimeClient,
  GenericContainer,
  getContainerRuntimeClient,
  getReaper,
  ImageName,
  type StartedTestContainer,
  Wait,
} from "testcontainers";
import type { IssuerMode } from "../emulator/config.js";
import type { FaultRuleInput } from "../emulator/core/fault-rules.js";
import type { SeedFile } from "../emulator/seed.js";

/** The image docker/build.sh tags. */
export const DEFAULT_IMAGE = "cognito-twin:local";
/** The port the emulator listens on inside the image. */
export const CONTAINER_PORT = 9229;
/** Where a config (seed) file is placed in the container. */
export const CONFIG_PATH = "/config/seed.json";

/** Where trigger modules are usually copied in the container (`withTriggers`). */
export const TRIGGERS_DIR = "/triggers";

const READY_LINE = /cognito-twin ready on /;

/**
 * The cognito-twin emulator in a container.
 *
 * Without a network mode it publishes port 9229 on a free host port, unless the engine has no
 * bridge network at all (an engine started with `--bridge=none`), where it uses the host's
 * network and a free host port instead. `withHostNetwork()` forces the latter.
 *
 * @example
 * const twin = await new CognitoTwinContainer()
 *   .withRegion("eu-west-1")
 *   .withConfigFile("test/seed.json")
 *   .start();
 * const cognito = new CognitoIdentityProviderClient(twin.getClientConfig());
 * // ...
 * await twin.stop();
 */
export class CognitoTwinContainer extends GenericContainer {
  private region = "us-east-1";
  private issuerMode: IssuerMode = "aws";
  private hostPort: number | undefined;
  private forceHost = false;
  private controlToken: string | undefined;
  private readonly allowedHosts: string[] = [];
  private readonly triggerModules: Record<string, string> = {};
  private imageBuild: boolean | BuildImageOptions | undefined;

  /** @param image the emulator's image; docker/build.sh tags `cognito-twin:local`. */
  constructor(image: string = DEFAULT_IMAGE) {
    super(image);
    this.withWaitStrategy(Wait.forLogMessage(READY_LINE)).withStartupTimeout(30_000);
  }

  /** Region of new pools and of the ids the emulator makes (default us-east-1). */
  withRegion(region: string): this {
    this.region = region;
    return this.withEnvironment({ COGNITO_TWIN_REGION: region });
  }

  /**
   * `aws` (default): tokens name `https://cognito-idp.<region>.amazonaws.com/<poolId>`, as
   * aws-jwt-verify expects. `local`: they name the container's URL as seen from the host, so
   * OIDC libraries that fetch keys from the issuer find them.
   */
  withIssuer(mode: IssuerMode): this {
    this.issuerMode = mode;
    return this.withEnvironment({ COGNITO_TWIN_ISSUER: mode });
  }

  /** Copies a seed file from the host into the container and loads it at start. */
  withConfigFile(path: string): this {
    return this.withCopyFilesToContainer([{ source: path, target: CONFIG_PATH, mode: 0o644 }]).withEnvironment({
      COGNITO_TWIN_CONFIG: CONFIG_PATH,
    });
  }

  /** Loads this seed (an object, or its JSON text) at start. */
  withConfig(seed: SeedFile | string): this {
    const content = typeof seed === "string" ? seed : JSON.stringify(seed);
    return this.withCopyContentToContainer([{ content, target: CONFIG_PATH, mode: 0o644 }]).withEnvironment({
      COGNITO_TWIN_CONFIG: CONFIG_PATH,
    });
  }

  /**
   * Runs the pools' Lambda triggers in the emulator's process (COGNITO_TWIN_TRIGGERS): `modules`
   * maps a function name or ARN of a `LambdaConfig` to `path#export` inside the container, and
   * `files` copies those modules in from the host (readable by the image's `node` user). The
   * image resolves no packages for them: give it plain JavaScript that imports only `node:`
   * modules, or a bundle. Calling it again adds to the mapping.
   *
   * @example
   * new CognitoTwinContainer().withTriggers(
   *   { "pre-signup": `${TRIGGERS_DIR}/pre-signup.mjs#handler` },
   *   [{ source: "test/triggers/pre-signup.mjs", target: `${TRIGGERS_DIR}/pre-signup.mjs` }],
   * );
   */
  withTriggers(
    modules: Readonly<Record<string, string>>,
    files: readonly { readonly source: string; readonly target: string }[] = [],
  ): this {
    Object.assign(this.triggerModules, modules);
    if (files.length > 0)
      this.withCopyFilesToContainer(files.map((f) => ({ source: f.source, target: f.target, mode: 0o644 })));
    return this.withEnvironment({
      COGNITO_TWIN_TRIGGERS: Object.entries(this.triggerModules)
        .map(([name, spec]) => `${name}=${spec}`)
        .join(","),
    });
  }

  /** silent | info | debug (default info). */
  withLogLevel(level: "silent" | "info" | "debug"): this {
    return this.withEnvironment({ COGNITO_TWIN_LOG_LEVEL: level });
  }

  /**
   * Turns the quota mode on (docs/faults.md): Cognito's request-rate quotas, `aws` for AWS's
   * default rates or rates of your own (`{ UserAuthentication: 5 }`, AWS's for the rest).
   */
  withQuotas(rates: "aws" | Readonly<Record<string, number>> = "aws"): this {
    const spec =
      rates === "aws"
        ? "aws"
        : Object.entries(rates)
            .map(([category, rps]) => `${category}=${rps}`)
            .join(",") || "aws";
    return this.withEnvironment({ COGNITO_TWIN_QUOTAS: spec });
  }

  /**
   * Keeps state in `path` inside the container (default /data, the image's writable directory),
   * so it survives `restart()`; mount a volume there to keep it beyond the container.
   */
  withDataDir(path = "/data"): this {
    return this.withEnvironment({ COGNITO_TWIN_DATA_DIR: path });
  }

  /**
   * Requires this token on the test controls (/_twin/*), which a container reachable from other
   * machines otherwise serves to anyone; `reset()` and `getControlHeaders()` carry it.
   */
  withControlToken(token: string): this {
    this.controlToken = token;
    return this.withEnvironment({ COGNITO_TWIN_CONTROL_TOKEN: token });
  }

  /**
   * More Host names the emulator answers (a network alias other containers use, say). IP
   * addresses always work, and so does the engine's host name, which `start()` adds itself.
   */
  withAllowedHosts(...names: string[]): this {
    this.allowedHosts.push(...names);
    return this;
  }

  /**
   * Every pool signs with two key pairs made once as the emulator starts, under kids of its own
   * (COGNITO_TWIN_SHARED_SIGNING_KEYS, docs/tokens.md "Shared signing keys"): a suite that makes a
   * pool per test waits for no key generation at each first sign-in.
   */
  withSharedSigningKeys(shared = true): this {
    return this.withEnvironment({ COGNITO_TWIN_SHARED_SIGNING_KEYS: String(shared) });
  }

  /** Accept SigV4-signed operations that carry no signature at all. */
  withAllowUnsigned(allow = true): this {
    return this.withEnvironment({ COGNITO_TWIN_ALLOW_UNSIGNED: String(allow) });
  }

  /**
   * Shares the host's network instead of publishing a port: the emulator listens on
   * 127.0.0.1:`port` of the host (a free port when omitted). Linux engines only.
   */
  withHostNetwork(port?: number): this {
    this.forceHost = true;
    this.hostPort = port;
    return this;
  }

  /**
   * Whether `start()` builds the image when it is missing (default: only for `cognito-twin:local`,
   * the image this package knows how to build; see `buildImage`).
   */
  withImageBuild(build: boolean | BuildImageOptions = true): this {
    this.imageBuild = build;
    return this;
  }

  /**
   * Starts testcontainers' Ryuk reaper ahead of the container, or leaves it out where it cannot
   * run: an engine without a bridge network (Ryuk publishes a port), or no registry to pull its
   * image from. It only removes containers that a dead process left behind; `stop()` removes
   * this one either way. TESTCONTAINERS_RYUK_DISABLED, when set, decides instead.
   */
  private async reaperOrNone(client: ContainerRuntimeClient, bridge: boolean): Promise<void> {
    if (!this.autoCleanup || process.env.TESTCONTAINERS_RYUK_DISABLED !== undefined) return;
    if (!bridge || reaperFailed) {
      this.withAutoCleanup(false);
      return;
    }
    try {
      await getReaper(client);
    } catch (e) {
      // Not tried again in this process: without a registry each try would wait for the pull.
      reaperFailed = true;
      process.stderr.write(
        `cognito-twin: testcontainers' Ryuk reaper did not start (${(e as Error).message.split("\n")[0]}); starting without it (TESTCONTAINERS_RYUK_DISABLED=true skips the attempt)\n`,
      );
      this.withAutoCleanup(false);
    }
  }

  /**
   * Starts the container and waits for the emulator's ready line. Needs no environment variables
   * where the engine allows it: an engine beside the tests inside a container is found at
   * localhost (`connectToEngine`), testcontainers' Ryuk reaper is left out where it cannot run
   * (no bridge network, or its image cannot be pulled), and a missing `cognito-twin:local` is built
   * from this package first.
   */
  override async start(): Promise<StartedCognitoTwinContainer> {
    const client = await connectToEngine();
    const bridge = await hasBridgeNetwork(client);
    const image = this.imageName.string;
    const build = this.imageBuild ?? image === ImageName.fromString(DEFAULT_IMAGE).string;
    if (build !== false && !(await client.image.exists(this.imageName)))
      await buildImage({ ...(typeof build === "object" ? build : {}), tag: image });
    const host = this.forceHost || this.networkMode === "host" || (this.networkMode === undefined && !bridge);
    // Read on each call where Docker picks the port: a restart may publish it elsewhere.
    let endpointOf: (started: StartedTestContainer) => string;
    let publicUrl: string | undefined;

    if (host) {
      const port = this.hostPort ?? (await freePort());
      this.withNetworkMode("host");
      this.exposedPorts = [];
      // On the host's network 0.0.0.0 would open the emulator to every interface of the machine.
      this.withEnvironment({ COGNITO_TWIN_HOST: "127.0.0.1", COGNITO_TWIN_PORT: String(port) });
      const url = `http://127.0.0.1:${port}`;
      endpointOf = () => url;
      publicUrl = url;
    } else if (this.issuerMode === "local" || this.hostPort !== undefined) {
      // A local issuer must be known before start, so the host port is chosen here, not by Docker.
      const port = this.hostPort ?? (await freePort());
      this.exposedPorts = [{ container: CONTAINER_PORT, host: port }];
      const url = `http://${client.info.containerRuntime.host}:${port}`;
      endpointOf = () => url;
      publicUrl = url;
    } else {
      this.exposedPorts = [CONTAINER_PORT];
      endpointOf = (started) => `http://${started.getHost()}:${started.getMappedPort(CONTAINER_PORT)}`;
    }
    if (this.issuerMode === "local" && publicUrl) this.withEnvironment({ COGNITO_TWIN_PUBLIC_URL: publicUrl });
    // The emulator answers only Host names it knows (docs/security.md); an engine reached by
    // name (DOCKER_HOST=tcp://docker:2375 in CI) puts that name in every request.
    const engineHost = client.info.containerRuntime.host;
    const names = [...this.allowedHosts];
    if (!host && isIP(engineHost) === 0 && engineHost !== "localhost") names.push(engineHost);
    if (names.length > 0) this.withEnvironment({ COGNITO_TWIN_ALLOWED_HOSTS: names.join(",") });

    await this.reaperOrNone(client, bridge);
    const started = await super.start();
    return new StartedCognitoTwinContainer(
      started,
      () => endpointOf(started),
      this.region,
      this.issuerMode,
      this.controlToken,
    );
  }
}

let reaperFailed = false;

/** The options of `buildImage`. */
export interface BuildImageOptions {
  /** Tag of the built image (default `cognito-twin:local`). */
  readonly tag?: string;
  /**
   * The base image (BASE_IMAGE of the Dockerfile): default `cognito-twin-base:local` when that
   * image exists (scripts/docker-base.sh makes it where no registry can be pulled from), else
   * the official `node:20-slim`.
   */
  readonly baseImage?: string;
  /** Where the package is (default: the one this module belongs to). */
  readonly packageRoot?: string;
  /** Progress lines (default: to stderr). */
  readonly log?: (line: string) => void;
}

/** What `buildImage` builds from: a clone's sources, or an installed package's compiled code. */
export interface ImageSource {
  readonly kind: "sources" | "package";
  readonly root: string;
  readonly dockerfile: string;
  /** What is sent to the engine, relative to `root`. */
  readonly files: readonly string[];
}

/**
 * How to build the image from the package at `root`: a clone (package-lock.json and emulator/
 * sources) builds with docker/Dockerfile, as docker/build.sh does; an installed package, which
 * has neither, installs its production dependencies over the compiled `dist/emulator` with
 * docker/package.Dockerfile. Undefined when `root` has neither.
 */
export function imageSourceAt(root: string): ImageSource | undefined {
  const has = (path: string) => existsSync(join(root, path));
  if (has("package-lock.json") && has("emulator/app.ts") && has("docker/Dockerfile"))
    return {
      kind: "sources",
      root,
      dockerfile: "docker/Dockerfile",
      files: [
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "tsconfig.build.json",
        "docker/tsconfig.image.json",
        "docker/Dockerfile",
        "emulator",
      ],
    };
  if (has("dist/emulator/cli.js") && has("docker/package.Dockerfile"))
    return {
      kind: "package",
      root,
      dockerfile: "docker/package.Dockerfile",
      files: ["package.json", "dist/emulator", "docker/package.Dockerfile"],
    };
  return undefined;
}

/** The package this module belongs to: docker/ in a clone, dist/docker/ once built. */
function ownPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 3; i++) {
    if (existsSync(join(dir, "package.json"))) return dir;
    dir = dirname(dir);
  }
  return dirname(dirname(fileURLToPath(import.meta.url)));
}

/**
 * Builds the emulator's image from this package through the engine testcontainers reaches (no
 * docker CLI needed), sharing the host's network for `npm` inside the build when the engine has
 * no bridge network. About a minute or two, most of it `npm` fetching dependencies.
 */
export async function buildImage(options: BuildImageOptions = {}): Promise<string> {
  const tag = options.tag ?? DEFAULT_IMAGE;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const root = options.packageRoot ?? ownPackageRoot();
  const source = imageSourceAt(root);
  if (!source)
    throw new Error(
      `cannot build ${tag}: ${root} has neither the sources (package-lock.json, emulator/, docker/Dockerfile) nor the compiled package (dist/emulator/cli.js, docker/package.Dockerfile)`,
    );
  const client = await connectToEngine();
  const baseImage =
    options.baseImage ??
    ((await client.image.exists(ImageName.fromString(LOCAL_BASE_IMAGE))) ? LOCAL_BASE_IMAGE : OFFICIAL_BASE_IMAGE);
  const bridge = await hasBridgeNetwork(client);
  log(`cognito-twin: building ${tag} from the ${source.kind} at ${root} (${source.dockerfile}, base ${baseImage})`);
  const started = Date.now();
  const dockerode = client.container.dockerode;
  const stream = await dockerode.buildImage(
    { context: root, src: [...source.files] },
    {
      t: tag,
      dockerfile: source.dockerfile,
      buildargs: { BASE_IMAGE: baseImage },
      labels: { "cognito-twin.built-by": "testcontainers-module" },
      ...(bridge ? {} : { networkmode: "host" }),
    },
  );
  const output = await new Promise<{ stream?: string; error?: string }[]>((resolve, reject) =>
    dockerode.modem.followProgress(stream, (err: Error | null, out: { stream?: string; error?: string }[]) =>
      err ? reject(err) : resolve(out),
    ),
  );
  const failure = output.find((line) => line.error);
  if (failure) {
    const tail = output
      .flatMap((line) => (line.stream ?? "").split("\n"))
      .filter((line) => line.trim() !== "")
      .slice(-12)
      .join("\n");
    const pullHint =
      baseImage === OFFICIAL_BASE_IMAGE
        ? `\nIf ${OFFICIAL_BASE_IMAGE} cannot be pulled here (no registry), make a local base first: scripts/docker-base.sh in a clone of cognito-twin, then retry (it is used when present).`
        : "";
    throw new Error(`building ${tag} failed: ${failure.error}\n${tail}${pullHint}`);
  }
  log(`cognito-twin: built ${tag} in ${Math.round((Date.now() - started) / 1000)} s`);
  return tag;
}

/** The base scripts/docker-base.sh makes from the machine's own Node. */
const LOCAL_BASE_IMAGE = "cognito-twin-base:local";
const OFFICIAL_BASE_IMAGE = "node:20-slim";

/** No container engine answered; the message says what was tried and what to do. */
export class NoContainerEngineError extends Error {
  override readonly name = "NoContainerEngineError";
  constructor(
    message: string,
    /** One line per place an engine was looked for, with what was found there. */
    readonly tried: readonly string[],
  ) {
    super(message);
  }
}

/**
 * The engine testcontainers finds (DOCKER_HOST, ~/.testcontainers.properties, the usual
 * sockets). Run inside a container next to an engine with no bridge network (this project's
 * CI: dockerd --bridge=none), testcontainers looks for the host through that bridge and gives
 * up; such an engine shares this machine's network, so it is tried again at localhost
 * (TESTCONTAINERS_HOST_OVERRIDE, set for the rest of the process when that works). Throws
 * `NoContainerEngineError` when nothing answers.
 */
export async function connectToEngine(): Promise<ContainerRuntimeClient> {
  // testcontainers reads process.env itself, so that is where the override must go.
  const env = process.env;
  let first: unknown;
  try {
    return await getContainerRuntimeClient();
  } catch (e) {
    first = e;
  }
  if (env.TESTCONTAINERS_HOST_OVERRIDE === undefined) {
    env.TESTCONTAINERS_HOST_OVERRIDE = "localhost";
    try {
      return await getContainerRuntimeClient();
    } catch {
      delete env.TESTCONTAINERS_HOST_OVERRIDE;
    }
  }
  const tried = await engineCandidates(env);
  throw new NoContainerEngineError(noEngineMessage(tried, (first as Error)?.message ?? String(first)), tried);
}

/** The message of `NoContainerEngineError`: what was tried, then what to do. */
export function noEngineMessage(tried: readonly string[], cause: string): string {
  return [
    `cognito-twin/testcontainers: no container engine is reachable (testcontainers: ${cause}). Tried:`,
    ...tried.map((line) => `  - ${line}`),
    "To fix it, any of:",
    "  - start Docker (Docker Desktop, or `sudo systemctl start docker`); `docker info` must work for this user",
    "    (on Linux, permission denied on /var/run/docker.sock: add the user to the docker group, or use rootless Docker);",
    "  - point DOCKER_HOST at the engine: unix:///path/to/docker.sock or tcp://host:2375;",
    "  - on a Debian machine with no engine, in a clone of cognito-twin: `sudo bash scripts/docker-engine.sh`.",
    "DEBUG=testcontainers* shows testcontainers' own attempts.",
  ].join("\n");
}

/** Every place testcontainers looks for an engine, and what is there, without changing anything. */
async function engineCandidates(env: NodeJS.ProcessEnv): Promise<string[]> {
  const lines: string[] = [];
  // The Docker client library reads DOCKER_HOST itself: when set, every attempt goes there.
  if (env.DOCKER_HOST)
    lines.push(
      `DOCKER_HOST=${env.DOCKER_HOST}: ${await pingDockerHost(env.DOCKER_HOST)} (used instead of every socket below)`,
    );
  else lines.push("DOCKER_HOST: not set");
  const properties = join(homedir(), ".testcontainers.properties");
  lines.push(existsSync(properties) ? `${properties}: present (docker.host / tc.host)` : `${properties}: none`);
  const sockets = [
    "/var/run/docker.sock",
    ...(env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, "docker.sock")] : []),
    join(homedir(), ".docker", "run", "docker.sock"),
    join(homedir(), ".docker", "desktop", "docker.sock"),
    `/run/user/${userInfo().uid}/docker.sock`,
  ];
  for (const socket of [...new Set(sockets)])
    lines.push(existsSync(socket) ? `${socket}: ${await pingSocket(socket)}` : `${socket}: no such socket`);
  return lines;
}

/** What DOCKER_HOST (unix://, tcp:// or http://) answers to GET /_ping. */
function pingDockerHost(value: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return Promise.resolve("not a URL (unix:///path/to/docker.sock or tcp://host:2375)");
  }
  if (url.protocol === "unix:") return pingSocket(url.pathname);
  if (url.protocol === "tcp:" || url.protocol === "http:")
    return pingSocket({ host: url.hostname, port: Number(url.port || 2375) });
  return Promise.resolve(`not probed (${url.protocol})`);
}

/** What a Docker engine answers to GET /_ping: ok, or why not (EACCES, ECONNREFUSED, ...). */
function pingSocket(at: string | { host: string; port: number }): Promise<string> {
  return new Promise((resolve) => {
    const where = typeof at === "string" ? { socketPath: at } : at;
    const req = request({ ...where, path: "/_ping", timeout: 2000 }, (res) => {
      res.resume();
      resolve(`answers /_ping with HTTP ${res.statusCode}`);
    });
    req.on("timeout", () => req.destroy(new Error("no answer within 2 s")));
    req.on("error", (e: NodeJS.ErrnoException) =>
      resolve(
        e.code === "EACCES"
          ? "permission denied (this user may not use it)"
          : e.code === "ECONNREFUSED"
            ? "refused (no engine is listening)"
            : e.message,
      ),
    );
    req.end();
  });
}

/** A running cognito-twin container. */
export class StartedCognitoTwinContainer extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    private readonly endpointOf: () => string,
    private readonly region: string,
    private readonly issuerMode: IssuerMode,
    private readonly controlToken?: string,
  ) {
    super(started);
  }

  /** Base URL of the emulator, for an SDK's `endpoint` (no trailing slash). */
  getEndpoint(): string {
    return this.endpointOf();
  }

  /** The region new pools get. */
  getRegion(): string {
    return this.region;
  }

  /** SDK client settings: region, endpoint and dummy credentials (admin calls must be signed). */
  getClientConfig(): {
    region: string;
    endpoint: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  } {
    return {
      region: this.region,
      endpoint: this.getEndpoint(),
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    };
  }

  /** Where a pool's signing keys are served. */
  getJwksUrl(poolId: string): string {
    return `${this.getEndpoint()}/${poolId}/.well-known/jwks.json`;
  }

  /** The `iss` claim of the pool's tokens (the same rule as the emulator's). */
  getIssuer(poolId: string): string {
    if (this.issuerMode === "local") return `${this.getEndpoint()}/${poolId}`;
    const region = poolId.split("_")[0] || this.region;
    return `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
  }

  /** Headers for your own /_twin/* calls: the control token, when `withControlToken` set one. */
  getControlHeaders(): Record<string, string> {
    return this.controlToken === undefined ? {} : { "x-twin-control-token": this.controlToken };
  }

  /** Clears every pool, user and message, and re-applies the config file. */
  async reset(): Promise<void> {
    const res = await fetch(`${this.getEndpoint()}/_twin/reset`, {
      method: "POST",
      // The test controls take POSTs only as JSON (docs/security.md).
      headers: { "content-type": "application/json", ...this.getControlHeaders() },
      body: "{}",
    });
    if (!res.ok) throw new Error(`cognito-twin reset failed: HTTP ${res.status} ${await res.text()}`);
  }

  /**
   * Sets a fault rule (docs/faults.md), `{ operation: "InitiateAuth", action: "throttle", count: 2 }`,
   * or a list of them (all or none); answers the rules as set, with their ids. A rule the
   * emulator refuses throws with its reason and the field it names.
   */
  async addFault(rule: FaultRule | readonly FaultRule[]): Promise<FaultRuleState[]> {
    const res = await fetch(`${this.getEndpoint()}/_twin/faults`, {
      method: "POST",
      headers: { "content-type": "application/json", ...this.getControlHeaders() },
      body: JSON.stringify(rule),
    });
    const body = (await res.json()) as
      | FaultRuleState
      | { faults: FaultRuleState[] }
      | { message: string; field: string };
    if (res.status !== 201) {
      const refused = body as { message?: string; field?: string };
      throw new Error(
        `cognito-twin refused the fault rule (${refused.field || "body"}): ${refused.message ?? res.status}`,
      );
    }
    return "faults" in body ? body.faults : [body as FaultRuleState];
  }

  /** The fault rules, each with how often it fired. */
  async getFaults(): Promise<FaultRuleState[]> {
    const res = await fetch(`${this.getEndpoint()}/_twin/faults`, { headers: this.getControlHeaders() });
    if (!res.ok) throw new Error(`cognito-twin faults: HTTP ${res.status} ${await res.text()}`);
    return ((await res.json()) as { faults: FaultRuleState[] }).faults;
  }

  /** Removes one fault rule by id, or all of them. */
  async clearFaults(id?: string): Promise<void> {
    const path = id === undefined ? "/_twin/faults" : `/_twin/faults/${encodeURIComponent(id)}`;
    const res = await fetch(`${this.getEndpoint()}${path}`, { method: "DELETE", headers: this.getControlHeaders() });
    if (!res.ok) throw new Error(`cognito-twin faults: HTTP ${res.status} ${await res.text()}`);
  }
}

/** A fault rule as `POST /_twin/faults` takes it (docs/faults.md lists the fields). */
export type FaultRule = FaultRuleInput;

/** A fault rule as the emulator lists it: the rule, its id and how often it fired. */
export interface FaultRuleState extends Omit<FaultRuleInput, "forSeconds"> {
  readonly id: string;
  readonly fired: number;
  readonly spent: boolean;
}

// An engine started with --bridge=none has no bridge network, so a published port cannot work.
async function hasBridgeNetwork(client: ContainerRuntimeClient): Promise<boolean> {
  const networks = (await client.container.dockerode.listNetworks()) as { Driver?: string }[];
  return networks.some((n) => n.Driver === "bridge");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
