// The programmatic API for tests (docs/programmatic-api.md): start an emulator on a free port, or
// reach one that is already running, through the same small set of controls. Both speak HTTP to
// the emulator (in-process through app.fetch, else through fetch), so a vitest worker holding only
// the URL that a global setup provided gets exactly what the process that started it gets.
import { type CreateAppOptions, createApp, type TwinApp } from "./app.js";
import type { TwinConfig } from "./config.js";
import { listen } from "./http/server.js";
import type { InboxMessage } from "./services/inbox.js";

/** What an SDK client needs to talk to the emulator: `new CognitoIdentityProviderClient(twin.clientConfig)`. */
export interface TwinClientConfig {
  readonly endpoint: string;
  readonly region: string;
  /** Any non-empty keys do: the emulator checks a signature's form and scope, not its value. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Which messages: a pool's, a user's (username, email or phone number), or all of them. */
export interface MessageFilter {
  readonly userPoolId?: string;
  readonly username?: string;
}

/** What `createPool` made. */
export interface CreatedPool {
  readonly userPoolId: string;
  readonly clientId: string;
}

/** Options of `createPool`: the pool's and the app client's CreateUserPool/CreateUserPoolClient fields. */
export interface CreatePoolOptions {
  /** PoolName; `test-pool` unless given. */
  readonly name?: string;
  /** More CreateUserPool fields (`{ UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"] }`). */
  readonly pool?: Readonly<Record<string, unknown>>;
  /**
   * More CreateUserPoolClient fields. Unless given, the client has no secret and allows
   * USER_PASSWORD_AUTH, USER_SRP_AUTH and REFRESH_TOKEN_AUTH, as a browser app's client does.
   */
  readonly client?: Readonly<Record<string, unknown>>;
}

/**
 * An error answer of the emulator to `call` (or to createPool and createUser): Cognito's
 * exception name as `type` (`UsernameExistsException`), its message and HTTP status. Distinct
 * from CognitoError, which is what the emulator itself throws inside.
 */
export class TwinCallError extends Error {
  override readonly name = "TwinCallError";
  constructor(
    /** The operation that was called. */
    readonly operation: string,
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The test controls, whether the emulator runs in this process (startTwin) or elsewhere (connectTwin). */
export interface TwinControls {
  /** `http://127.0.0.1:<port>`: the endpoint for every SDK, and the base of /_twin/* and the hosted pages. */
  readonly url: string;
  readonly region: string;
  readonly clientConfig: TwinClientConfig;
  /** Sent codes and messages, oldest first (GET /_twin/messages). */
  messages(filter?: MessageFilter): Promise<InboxMessage[]>;
  /**
   * The code in the newest message matching the filter: what a test types after SignUp or
   * ForgotPassword. Throws when no such message has a code, naming what it looked for.
   */
  latestCode(filter: MessageFilter): Promise<string>;
  /** Drops the matching messages (all without a filter); returns how many went. */
  clearMessages(filter?: MessageFilter): Promise<number>;
  /** Moves the emulator's clock (negative: back); returns the emulator's time afterwards, in epoch ms. */
  advanceClock(seconds: number): Promise<number>;
  /** Clears every pool, user, message and clock offset, then re-applies the seed. */
  reset(): Promise<void>;
  /** Creates a pool and an app client for it, the two ids a test needs. */
  createPool(options?: CreatePoolOptions): Promise<CreatedPool>;
  /**
   * Creates a confirmed user with a permanent password (AdminCreateUser with no message, then
   * AdminSetUserPassword), so a test can sign in at once.
   */
  createUser(
    userPoolId: string,
    username: string,
    password: string,
    attributes?: Readonly<Record<string, string>>,
  ): Promise<void>;
  /** Calls any operation of the user pools' API by name and returns its answer; throws TwinCallError. */
  call<T = Record<string, unknown>>(operation: string, input: Readonly<Record<string, unknown>>): Promise<T>;
}

/** An emulator this process started: the controls, the app behind them, and stop(). */
export interface StartedTwin extends TwinControls, AsyncDisposable {
  readonly port: number;
  /** The emulator itself (services, triggers, faults, request log): see createApp. */
  readonly twin: TwinApp;
  /** Closes the server and the data directory's journal. */
  stop(): Promise<void>;
}

/** Options of connectTwin. */
export interface ConnectOptions {
  /** The emulator's --control-token, when it was started with one. */
  readonly controlToken?: string;
  /** The region in the SDK configuration and in the signature scope; us-east-1 unless given. */
  readonly region?: string;
}

type Fetch = (request: Request) => Response | Promise<Response>;

/**
 * Starts an emulator on a free loopback port (unless `config.port` says otherwise), quiet unless
 * `config.logLevel` says otherwise. `await using twin = await startTwin()` stops it at the end of
 * the block.
 *
 * @example
 * const twin = await startTwin({ region: "eu-west-1" });
 * const { userPoolId, clientId } = await twin.createPool();
 * const cognito = new CognitoIdentityProviderClient(twin.clientConfig);
 * await cognito.send(new SignUpCommand({ ClientId: clientId, Username: "ana@example.com", Password: "Passw0rd!" }));
 * const code = await twin.latestCode({ userPoolId, username: "ana@example.com" });
 * await twin.stop();
 */
export async function startTwin(
  config: Partial<TwinConfig> = {},
  options: CreateAppOptions = {},
): Promise<StartedTwin> {
  const twin = await createApp({ port: 0, logLevel: "silent", ...config }, options);
  let server: Awaited<ReturnType<typeof listen>>;
  try {
    server = await listen(twin);
  } catch (e) {
    await twin.close();
    throw e;
  }
  const region = twin.services.config.region;
  const controls = controlsOver((request) => twin.app.fetch(request), server.url, {
    region,
    ...(config.controlToken !== undefined ? { controlToken: config.controlToken } : {}),
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= server.close().then(() => twin.close());
    return stopped;
  };
  return { ...controls, port: server.port, twin, stop, [Symbol.asyncDispose]: stop };
}

/**
 * The controls of an emulator that is already running: started by a global setup, the CLI or a
 * container. Nothing is sent until a method is called.
 *
 * @example
 * const twin = connectTwin(inject("cognitoTwinUrl"));
 * await twin.reset();
 */
export function connectTwin(url: string, options: ConnectOptions = {}): TwinControls {
  const base = url.replace(/\/+$/, "");
  return controlsOver((request) => fetch(request), base, { region: options.region ?? "us-east-1", ...options });
}

function controlsOver(
  send: Fetch,
  url: string,
  options: { readonly region: string; readonly controlToken?: string },
): TwinControls {
  const { region, controlToken } = options;
  const controlHeaders: Record<string, string> = controlToken ? { "x-twin-control-token": controlToken } : {};

  async function control(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await send(
      new Request(`${url}${path}`, {
        method,
        headers: { ...controlHeaders, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    );
    const text = await response.text();
    if (!response.ok) throw new Error(`cognito-twin: ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as unknown;
  }

  function query(filter: MessageFilter = {}): string {
    const params = new URLSearchParams();
    if (filter.userPoolId !== undefined) params.set("userPoolId", filter.userPoolId);
    if (filter.username !== undefined) params.set("username", filter.username);
    const text = params.toString();
    return text ? `?${text}` : "";
  }

  async function call<T>(operation: string, input: Readonly<Record<string, unknown>>): Promise<T> {
    const response = await send(
      new Request(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
          // A well-formed signature scoped to the region: the emulator takes the region from it and,
          // as Cognito does, refuses admin operations that carry none.
          authorization: `AWS4-HMAC-SHA256 Credential=cognito-twin/${scopeDate()}/${region}/cognito-idp/aws4_request, SignedHeaders=host;x-amz-target, Signature=${"0".repeat(64)}`,
        },
        body: JSON.stringify(input),
      }),
    );
    const text = await response.text();
    const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (!response.ok) {
      const type = String(parsed.__type ?? response.headers.get("x-amzn-errortype") ?? "InternalErrorException");
      const message = String(parsed.message ?? parsed.Message ?? text);
      // `__type` may carry a namespace (`ns#Type`) and the header a URL after a colon (`Type:http://...`).
      const name = type.slice(type.lastIndexOf("#") + 1).split(":")[0] ?? type;
      throw new TwinCallError(operation, name, message, response.status);
    }
    return parsed as T;
  }

  async function messages(filter?: MessageFilter): Promise<InboxMessage[]> {
    return ((await control("GET", `/_twin/messages${query(filter)}`)) as { messages: InboxMessage[] }).messages;
  }

  return {
    url,
    region,
    clientConfig: { endpoint: url, region, credentials: { accessKeyId: "local", secretAccessKey: "local" } },
    messages,
    async latestCode(filter) {
      const found = await messages(filter);
      const code = found.findLast((m) => m.code !== undefined)?.code;
      if (code === undefined) {
        const what = [filter.username && `for ${filter.username}`, filter.userPoolId && `in ${filter.userPoolId}`]
          .filter(Boolean)
          .join(" ");
        throw new Error(`cognito-twin: no message with a code ${what || "at all"} (${found.length} without one)`);
      }
      return code;
    },
    async clearMessages(filter) {
      return ((await control("DELETE", `/_twin/messages${query(filter)}`)) as { deleted: number }).deleted;
    },
    async advanceClock(seconds) {
      return ((await control("POST", "/_twin/clock", { advanceSeconds: seconds })) as { now: number }).now * 1000;
    },
    async reset() {
      await control("POST", "/_twin/reset", {});
    },
    async createPool(poolOptions = {}) {
      const { UserPool } = await call<{ UserPool: { Id: string } }>("CreateUserPool", {
        PoolName: poolOptions.name ?? "test-pool",
        ...poolOptions.pool,
      });
      const { UserPoolClient } = await call<{ UserPoolClient: { ClientId: string } }>("CreateUserPoolClient", {
        UserPoolId: UserPool.Id,
        ClientName: "test-client",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ...poolOptions.client,
      });
      return { userPoolId: UserPool.Id, clientId: UserPoolClient.ClientId };
    },
    async createUser(userPoolId, username, password, attributes = {}) {
      await call("AdminCreateUser", {
        UserPoolId: userPoolId,
        Username: username,
        MessageAction: "SUPPRESS",
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      });
      await call("AdminSetUserPassword", {
        UserPoolId: userPoolId,
        Username: username,
        Password: password,
        Permanent: true,
      });
    },
    call,
  };
}

/** Today's date as a SigV4 scope writes it (YYYYMMDD). */
function scopeDate(): string {
  return new Date().toISOString().slice(0, 10).replaceAll("-", "");
}
