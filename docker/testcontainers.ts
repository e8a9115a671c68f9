// A testcontainers module for the emulator's image, published as `cognito-twin/testcontainers`.
// testcontainers is an optional peer dependency: only projects that import this module need it.
import { createServer, isIP } from "node:net";
import {
  AbstractStartedContainer,
  GenericContainer,
  getContainerRuntimeClient,
  type StartedTestContainer,
  Wait,
} from "testcontainers";
import type { IssuerMode } from "../emulator/config.js";
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

  /** Starts the container and waits for the emulator's ready line. */
  override async start(): Promise<StartedCognitoTwinContainer> {
    const client = await getContainerRuntimeClient();
    const host =
      this.forceHost ||
      this.networkMode === "host" ||
      (this.networkMode === undefined && !(await hasBridgeNetwork(client)));
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
}

// An engine started with --bridge=none has no bridge network, so a published port cannot work.
async function hasBridgeNetwork(client: Awaited<ReturnType<typeof getContainerRuntimeClient>>): Promise<boolean> {
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
