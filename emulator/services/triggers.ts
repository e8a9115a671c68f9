// Running the Lambda functions a pool's LambdaConfig names. A function is found, in this order,
// among the handlers a test set (`twin.triggers.set`), the modules mapped in the configuration
// (`--trigger ARN=./file.ts#handler`, the config file's `Triggers`), and AWS Lambda's Invoke API at
// `--lambda-endpoint` (SAM local, LocalStack, serverless-offline, or real Lambda with `aws`).
// What the function did is reported as it is (an InvokeOutcome); domain/triggers/ turns it into
// Cognito's behaviour and errors. docs/triggers.md, docs/decisions/0017-lambda-triggers.md.
import { randomBytes, randomUUID } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Logger } from "../core/logger.js";

/**
 * The `context` an in-process handler is called with: Lambda's, member for member, so handlers
 * typed with aws-lambda's `Handler` types (`PreSignUpTriggerHandler`...) can be set as they are.
 */
interface LambdaContextLike {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  /** The runtime's legacy way to answer: `done(error, result)`, as the callback. */
  done(error?: Error, result?: unknown): void;
  /** The legacy failure answer, as `callback(error)`. */
  fail(error: Error | string): void;
  /** The legacy success answer, as `callback(null, result)`. */
  succeed(result: unknown, object?: unknown): void;
}

/**
 * A trigger's code run in this process: Lambda's Node.js handler signature. It may return the
 * event (or a promise of it), or, with three parameters, answer through the callback.
 */
export type TriggerHandler = (
  // biome-ignore lint/suspicious/noExplicitAny: each trigger has its own event shape (aws-lambda's types).
  event: any,
  context: LambdaContextLike,
  callback: (error?: unknown, result?: unknown) => void,
) => unknown;

/** What invoking a function came to. */
export type InvokeOutcome =
  /** The function answered this JSON value (the returned event, or anything else it returned). */
  | { readonly kind: "returned"; readonly payload: unknown }
  /** The function answered something that is not JSON. */
  | { readonly kind: "invalid-json" }
  /** The function failed: it threw, called back with an error, or Lambda reported a function error. */
  | { readonly kind: "function-error"; readonly errorType: string; readonly errorMessage: string }
  /** No answer within the wait (Cognito waits 5 seconds). */
  | { readonly kind: "timeout" }
  /** The function could not be invoked at all: nothing maps it, its module fails to load, Lambda refused. */
  | { readonly kind: "not-invocable"; readonly reason: string };

/** One invocation, as `twin.triggers.invocations` and `GET /_twin/triggers` list them. */
export interface TriggerInvocation {
  readonly functionArn: string;
  readonly triggerSource: string;
  /** How the function was reached. */
  readonly via: "handler" | "module" | "lambda" | "none";
  readonly event: unknown;
  readonly outcome: InvokeOutcome;
  /** Epoch milliseconds (real time: how long a function took is not the emulator's clock). */
  readonly startedAt: number;
  readonly durationMs: number;
}

/** How the trigger service is set up (createApp builds it from the settings). */
export interface TriggerSettings {
  /** Lambda's endpoint (`http://127.0.0.1:3001`), or `aws` for the real Lambda of the region. */
  readonly lambdaEndpoint?: string | undefined;
  /** Function ARN or name to `path#export` (export `handler` when omitted). */
  readonly modules?: Readonly<Record<string, string>> | undefined;
  /** Where relative module paths start (the config file's folder, else the working directory). */
  readonly baseDir?: string | undefined;
  /** How long an invocation may take; Cognito waits 5 s. */
  readonly timeoutMs?: number | undefined;
  readonly log: Logger;
}

/** Lambda's largest synchronous response (6 MB), past which it reports a function error. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
/** Invocations kept for `invocations`, oldest dropped first. */
const KEPT_INVOCATIONS = 1000;

/** The function name of an ARN (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`). */
export function functionName(arn: string): string {
  // A pool's calls name the same function again and again: the last answer is kept.
  if (arn === lastArn) return lastName;
  const parts = arn.split(":");
  lastName = parts[0] === "arn" && parts[5] === "function" && parts[6] ? parts[6] : arn;
  lastArn = arn;
  return lastName;
}

let lastArn: string | undefined;
let lastName = "";

/** Parses `path#export`; the export is `handler` when the spec names none. */
function parseModuleSpec(spec: string): { path: string; exportName: string } {
  const hash = spec.lastIndexOf("#");
  if (hash <= 0) return { path: spec, exportName: "handler" };
  return { path: spec.slice(0, hash), exportName: spec.slice(hash + 1) || "handler" };
}

/** Minimal view of @aws-sdk/client-lambda's client, loaded only when an endpoint is set. */
interface LambdaInvoker {
  invoke(arn: string, payload: string, signal: AbortSignal): Promise<InvokeOutcome>;
}

/** Runs trigger functions; one per emulator (Services.triggers). */
export class Triggers {
  private readonly handlers = new Map<string, TriggerHandler>();
  private readonly loaded = new Map<string, Promise<TriggerHandler>>();
  /** The modules whose load has finished, so a call needs no await to find its handler. */
  private readonly ready = new Map<string, TriggerHandler>();
  private readonly kept: TriggerInvocation[] = [];
  /** One Lambda client per region: a request is signed for (and, with `aws`, sent to) the function's region. */
  private readonly lambdas = new Map<string, Promise<LambdaInvoker>>();
  private readonly timeoutMs: number;
  /**
   * The AES-256 key that stands in for the pool's KMS key: the codes handed to custom sender
   * triggers are encrypted with it (AWS Encryption SDK, raw AES keyring; namespace and name in
   * domain/triggers/custom-sender.ts). New for every emulator, never stored; a handler gets it
   * here or from `GET /_twin/triggers/sender-key` (docs/triggers.md, "Messages").
   */
  readonly senderKey: Buffer = randomBytes(32);

  constructor(private readonly settings: TriggerSettings) {
    this.timeoutMs = settings.timeoutMs ?? 5000;
  }

  /**
   * Runs `handler` for the function `arnOrName` (a full ARN, or the function's name, which
   * matches every ARN of that name) until `clear`. Wins over mapped modules and the endpoint.
   *
   * @example
   * twin.triggers.set("pre-signup", async (event) => { event.response.autoConfirmUser = true; return event; });
   */
  set(arnOrName: string, handler: TriggerHandler): void {
    this.handlers.set(arnOrName, handler);
  }

  /** Drops the handler set for `arnOrName`, or every handler set (not the mapped modules). */
  clear(arnOrName?: string): void {
    if (arnOrName === undefined) this.handlers.clear();
    else this.handlers.delete(arnOrName);
  }

  /** The last invocations (up to 1000), oldest first. */
  get invocations(): readonly TriggerInvocation[] {
    return this.kept;
  }

  /** Forgets the invocations kept (a reset does). */
  forgetInvocations(): void {
    this.kept.length = 0;
  }

  /** True when something would answer for `arn` (a handler, a module, or a Lambda endpoint). */
  canInvoke(arn: string): boolean {
    return this.route(arn) !== "none";
  }

  /**
   * Invokes the function `arn` with `event` (RequestResponse) and reports what it did; never
   * throws. `triggerSource` is for the log and the invocation list.
   */
  async invoke(arn: string, event: object, triggerSource: string): Promise<InvokeOutcome> {
    const startedAt = Date.now();
    const t0 = performance.now();
    const name = functionName(arn);
    const handler = this.handlers.get(arn) ?? this.handlers.get(name);
    const via: TriggerInvocation["via"] = handler ? "handler" : this.routeWithoutHandler(arn, name);
    let outcome: InvokeOutcome;
    if (via === "none") {
      this.settings.log.error(
        `[triggers] ${triggerSource}: nothing runs ${arn}. Map it to code with --trigger '${name}=./triggers/file.ts#handler' (or the config file's "Triggers", or twin.triggers.set() in a test), or point --lambda-endpoint at a Lambda that has it (docs/triggers.md).`,
      );
      // What Cognito answers for a function it may not invoke, which is also what it answers for
      // one that was deleted (docs/decisions/0017-lambda-triggers.md, "Errors").
      outcome = { kind: "not-invocable", reason: "AccessDeniedException" };
    } else if (via === "lambda") {
      outcome = await this.withTimeout((signal) => this.viaLambda(arn, event, signal));
    } else {
      // In-process calls need no abort signal: only the wait is bounded, and only when the
      // function has not answered at once (callHandler).
      outcome = await this.inProcess(arn, name, handler, event);
    }
    if (this.kept.length >= KEPT_INVOCATIONS) this.kept.shift();
    this.kept.push({
      functionArn: arn,
      triggerSource,
      via,
      event: redacted(event),
      outcome,
      startedAt,
      durationMs: performance.now() - t0,
    });
    if (outcome.kind !== "returned") this.settings.log.info(`[triggers] ${triggerSource} ${arn}: ${describe(outcome)}`);
    return outcome;
  }

  private route(arn: string): TriggerInvocation["via"] {
    const name = functionName(arn);
    if (this.handlers.get(arn) ?? this.handlers.get(name)) return "handler";
    return this.routeWithoutHandler(arn, name);
  }

  /** The route of a function no test handler is set for (`name` is the ARN's function name). */
  private routeWithoutHandler(arn: string, name: string): TriggerInvocation["via"] {
    if (this.moduleSpecFor(arn, name) !== undefined) return "module";
    if (this.settings.lambdaEndpoint) return "lambda";
    return "none";
  }

  private moduleSpecFor(arn: string, name: string): string | undefined {
    const modules = this.settings.modules;
    if (!modules) return undefined;
    return modules[arn] ?? modules[name];
  }

  private async withTimeout(
    run: (signal: AbortSignal | undefined) => Promise<InvokeOutcome>,
    abortable = true,
  ): Promise<InvokeOutcome> {
    const abort = abortable ? new AbortController() : undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<InvokeOutcome>((done) => {
      timer = setTimeout(() => {
        abort?.abort();
        done({ kind: "timeout" });
      }, this.timeoutMs);
    });
    // `invoke` never throws: whatever escapes a way of invoking (the Lambda client failing to
    // load, a bug) is a function that could not be invoked.
    const running = run(abort?.signal).catch(notInvocable);
    try {
      return await Promise.race([running, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Calls a handler set by a test (`set`) or loaded from a mapped module, with a copy of the
   * event; never rejects: whatever escapes (a bug) is a function that could not be invoked.
   */
  private async inProcess(
    arn: string,
    name: string,
    set: TriggerHandler | undefined,
    event: object,
  ): Promise<InvokeOutcome> {
    let handler: TriggerHandler;
    if (set) handler = set;
    else {
      try {
        const spec = this.moduleSpecFor(arn, name)!;
        const ready = this.ready.get(spec);
        if (ready) handler = ready;
        else {
          // A module's first load is bounded by the same wait as a call (a top-level await that
          // never ends); later calls find it loaded.
          const loaded = await bounded(this.load(spec), this.timeoutMs);
          if (typeof loaded !== "function") return TIMED_OUT;
          handler = loaded;
        }
      } catch (e) {
        // As Lambda's Node.js runtime reports a handler it cannot load: a function error.
        const error = e instanceof Error ? e : new Error(String(e));
        this.settings.log.error(`[triggers] could not load the module for ${arn}: ${error.message}`);
        return functionError(error);
      }
    }
    try {
      // The function gets its own copy, as a Lambda would (JSON in, JSON out).
      const copy = jsonCopy(event, { bytes: 0 }, 0) as object;
      let result: unknown;
      try {
        result = await callHandler(handler, copy, arn, name, this.timeoutMs);
      } catch (e) {
        return functionError(e);
      }
      if (result === TIMED_OUT) return TIMED_OUT;
      // What Lambda would send back: the JSON of the result (`undefined` is `null`). A result
      // JSON cannot hold (a cycle, a BigInt) fails as Lambda's Node.js runtime fails it.
      if (typeof result === "function" || typeof result === "symbol") return { kind: "invalid-json" };
      const size = { bytes: 0 };
      let payload: unknown = result === undefined ? null : result;
      try {
        // An answer that is JSON already (most are: the event, changed) is taken as it is; only
        // one holding Dates, undefined members and the like is copied, as JSON would read it.
        if (!isPlainJson(payload, size, 0)) {
          size.bytes = 0;
          payload = jsonCopy(payload, size, 0);
        }
      } catch {
        return {
          kind: "function-error",
          errorType: "Runtime.JSONStringifyError",
          errorMessage: "Unable to stringify response body",
        };
      }
      // size.bytes bounds the UTF-8 size from above; only a large answer is measured exactly.
      if (size.bytes > MAX_RESPONSE_BYTES && Buffer.byteLength(JSON.stringify(payload)) > MAX_RESPONSE_BYTES)
        return responseTooLarge();
      return { kind: "returned", payload };
    } catch (e) {
      return notInvocable(e);
    }
  }

  private load(spec: string): Promise<TriggerHandler> {
    let pending = this.loaded.get(spec);
    if (!pending) {
      pending = importHandler(spec, this.settings.baseDir ?? process.cwd());
      pending.then(
        (handler) => this.ready.set(spec, handler),
        // A module that failed to load is tried again next time (its file may have been fixed).
        () => this.loaded.delete(spec),
      );
      this.loaded.set(spec, pending);
    }
    return pending;
  }

  private async viaLambda(arn: string, event: object, signal: AbortSignal | undefined): Promise<InvokeOutcome> {
    const region = arnRegion(arn);
    let pending = this.lambdas.get(region);
    if (!pending) {
      pending = lambdaInvoker(this.settings.lambdaEndpoint!, region);
      pending.catch(() => this.lambdas.delete(region));
      this.lambdas.set(region, pending);
    }
    return (await pending).invoke(arn, JSON.stringify(event), signal!);
  }
}

/**
 * The event as the invocation list keeps it: a user migration's `request.password` (the one
 * event that carries a password) is masked, since `GET /_twin/triggers` serves the list.
 */
function redacted(event: object): object {
  const request = (event as { request?: { password?: unknown } }).request;
  if (typeof request?.password !== "string") return event;
  return { ...event, request: { ...request, password: "********" } };
}

/**
 * The `context` of one in-process call: Lambda's members, its legacy answers on the prototype
 * (one object per call rather than a literal with four closures: this is on every invocation).
 */
class InvocationContext implements LambdaContextLike {
  readonly functionVersion = "$LATEST";
  readonly memoryLimitInMB = "128";
  readonly awsRequestId = randomUUID();
  readonly logGroupName: string;
  readonly logStreamName = "cognito-twin";
  callbackWaitsForEmptyEventLoop = true;

  constructor(
    readonly functionName: string,
    readonly invokedFunctionArn: string,
    private readonly deadline: number,
    private readonly answer: (error?: unknown, result?: unknown) => void,
  ) {
    this.logGroupName = `/aws/lambda/${functionName}`;
  }

  getRemainingTimeInMillis(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  done(error?: Error, result?: unknown): void {
    this.answer(error, result);
  }

  fail(error: Error | string): void {
    this.answer(error ?? new Error("null"));
  }

  succeed(result: unknown): void {
    this.answer(undefined, result);
  }
}

/**
 * Calls a Node.js Lambda handler in either style, returning (a promise of) the result or calling
 * back, with a Lambda-like context for the function `name` (`arn`); what it answered, or
 * TIMED_OUT when no answer came within `timeoutMs`. Rejects with what the handler threw.
 */
function callHandler(
  handler: TriggerHandler,
  event: object,
  arn: string,
  name: string,
  timeoutMs: number,
): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const callback = (error?: unknown, result?: unknown) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      if (error !== undefined && error !== null) reject(error);
      else resolvePromise(result);
    };
    let returned: unknown;
    try {
      returned = handler(event, new InvocationContext(name, arn, Date.now() + timeoutMs, callback), callback);
    } catch (e) {
      callback(e ?? new Error("null"));
      return;
    }
    // A three-parameter handler answers through the callback; any other through what it returns
    // (or a context.done/succeed/fail called before it returns).
    if (handler.length < 3 || isThenable(returned))
      Promise.resolve(returned).then(
        (value) => callback(undefined, value),
        (e: unknown) => callback(e ?? new Error("null")),
      );
    // The wait is timed only for an answer still to come. A handler that answered at once (a
    // value, a resolved promise: most triggers) has settled by the microtask queued next, and
    // gets no timer: arming and clearing one cost more than the rest of the call together
    // (about 35 µs of the in-process invocation, measured in the server).
    queueMicrotask(() => {
      if (!settled)
        timer = setTimeout(() => {
          if (settled) return;
          settled = true;
          resolvePromise(TIMED_OUT);
        }, timeoutMs);
    });
  });
}

const TIMED_OUT: { readonly kind: "timeout" } = Object.freeze({ kind: "timeout" });

/** What `running` comes to, or TIMED_OUT once `ms` have passed without an answer. */
function bounded<T>(running: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(resolvePromise, ms, TIMED_OUT);
    running.then(
      (value) => {
        clearTimeout(timer);
        resolvePromise(value);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** What invoking came to when a way of invoking threw (a bug): the function could not be invoked. */
function notInvocable(e: unknown): InvokeOutcome {
  return { kind: "not-invocable", reason: (e as Error)?.name || "ServiceException" };
}

/** Deeper than this is a cycle, or as good as one: JSON.stringify would refuse it (or the stack would). */
const MAX_JSON_DEPTH = 1000;

/**
 * What `JSON.parse(JSON.stringify(value))` gives, in a fifth of the time (the copy is on every
 * in-process invocation, twice): `toJSON` honoured (Dates become strings), `undefined`, functions
 * and symbols dropped from objects and `null` in arrays, non-finite numbers `null`. Throws where
 * JSON.stringify throws (a BigInt, a cycle). Adds an upper bound of the JSON's UTF-8 size to
 * `size.bytes` (3 bytes a UTF-16 unit, plus punctuation).
 */
function jsonCopy(value: unknown, size: { bytes: number }, depth: number): unknown {
  if (value === null) {
    size.bytes += 4;
    return null;
  }
  switch (typeof value) {
    case "string":
      size.bytes += value.length * 3 + 2;
      return value;
    case "number":
      size.bytes += 24;
      return Number.isFinite(value) ? value : null;
    case "boolean":
      size.bytes += 5;
      return value;
    case "bigint":
      throw new TypeError("Do not know how to serialize a BigInt");
    case "object":
      break;
    default:
      // undefined, functions and symbols: the callers drop or null them.
      return undefined;
  }
  if (depth > MAX_JSON_DEPTH) throw new TypeError("Converting circular structure to JSON");
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return jsonCopy(toJSON.call(value), size, depth + 1);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    size.bytes += 2 + value.length;
    for (let i = 0; i < value.length; i++) {
      const item = jsonCopy(value[i], size, depth + 1);
      out[i] = item === undefined ? null : item;
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  size.bytes += 2;
  for (const key of Object.keys(value)) {
    const item = jsonCopy((value as Record<string, unknown>)[key], size, depth + 1);
    if (item === undefined) continue;
    size.bytes += key.length * 3 + 4;
    out[key] = item;
  }
  return out;
}

/**
 * True when `value` is what `jsonCopy` would give back member for member: plain objects and
 * arrays (no class instances, no `toJSON`), finite numbers, no `undefined` members or holes; no
 * copy is made and nothing is allocated. Adds to `size.bytes` as jsonCopy does, and stops (false)
 * where jsonCopy would change something or throw, so the caller copies then.
 */
function isPlainJson(value: unknown, size: { bytes: number }, depth: number): boolean {
  if (value === null) {
    size.bytes += 4;
    return true;
  }
  switch (typeof value) {
    case "string":
      size.bytes += value.length * 3 + 2;
      return true;
    case "number":
      size.bytes += 24;
      return Number.isFinite(value);
    case "boolean":
      size.bytes += 5;
      return true;
    case "object":
      break;
    default:
      return false;
  }
  if (depth > MAX_JSON_DEPTH) return false;
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return false;
    size.bytes += 2 + value.length;
    for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], size, depth + 1)) return false;
    return true;
  }
  if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === "function")
    return false;
  size.bytes += 2;
  for (const key of Object.keys(value)) {
    if (!isPlainJson((value as Record<string, unknown>)[key], size, depth + 1)) return false;
    size.bytes += key.length * 3 + 4;
  }
  return true;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === "function";
}

/**
 * A thrown value as Lambda's Node.js runtime reports it: an Error's `name` and `message`; for
 * anything else, its `typeof` and its string (`throw "no"` is errorType `string`, message `no`).
 */
function functionError(e: unknown): InvokeOutcome {
  if (e instanceof Error) return { kind: "function-error", errorType: e.name, errorMessage: e.message };
  let message: string;
  try {
    message = String(e);
  } catch {
    message =
      "callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack";
  }
  return { kind: "function-error", errorType: typeof e, errorMessage: message };
}

function responseTooLarge(): InvokeOutcome {
  return {
    kind: "function-error",
    errorType: "Function.ResponseSizeTooLarge",
    errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
  };
}

function describe(outcome: InvokeOutcome): string {
  switch (outcome.kind) {
    case "returned":
      return "returned";
    case "invalid-json":
      return "answered something that is not JSON";
    case "function-error":
      return `failed: ${outcome.errorType}: ${outcome.errorMessage}`;
    case "timeout":
      return "gave no answer in time";
    case "not-invocable":
      return `could not be invoked (${outcome.reason})`;
  }
}

/** The region of a Lambda ARN, for the Lambda client's signature. */
function arnRegion(arn: string): string {
  const region = arn.split(":")[3];
  return region && /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region) ? region : "us-east-1";
}

/**
 * Imports `path#export` once. TypeScript goes through tsx's loader (a dependency, loaded only
 * for .ts modules); under a process that already strips types (vitest, `node --import tsx`) a
 * plain import would do too, and is the fallback.
 */
async function importHandler(spec: string, baseDir: string): Promise<TriggerHandler> {
  const { path, exportName } = parseModuleSpec(spec);
  const file = isAbsolute(path) ? path : resolve(baseDir, path);
  const url = pathToFileURL(file).href;
  let mod: Record<string, unknown>;
  try {
    if (/\.[cm]?tsx?$/.test(file)) {
      let tsImport: ((specifier: string, parent: string) => Promise<unknown>) | undefined;
      try {
        ({ tsImport } = (await import("tsx/esm/api")) as { tsImport: typeof tsImport });
      } catch {
        tsImport = undefined;
      }
      mod = (tsImport ? await tsImport(url, import.meta.url) : await import(url)) as Record<string, unknown>;
    } else {
      mod = (await import(url)) as Record<string, unknown>;
    }
  } catch (e) {
    // Lambda's Node.js runtime names the two ways a handler's module fails to load.
    const type = e instanceof SyntaxError ? "Runtime.UserCodeSyntaxError" : "Runtime.ImportModuleError";
    throw runtimeError(type, String(e));
  }
  const fromDefault = (mod.default as Record<string, unknown> | undefined)?.[exportName];
  const handler = mod[exportName] ?? fromDefault ?? (exportName === "default" ? mod.default : undefined);
  if (typeof handler !== "function")
    throw runtimeError("Runtime.HandlerNotFound", `${file}#${exportName} is undefined or not exported`);
  return handler as TriggerHandler;
}

/**
 * What a local Lambda is asked to invoke: the function's name (and its version or alias as
 * `Qualifier`), not the ARN. SAM local finds functions only by name (aws-sam-cli#8289), and
 * LocalStack's functions live in its own account, not the one the pool's ARN names.
 */
function localTarget(arn: string): { FunctionName: string; Qualifier?: string } {
  const parts = arn.split(":");
  if (parts[0] !== "arn" || parts[5] !== "function" || !parts[6]) return { FunctionName: arn };
  return parts[7] ? { FunctionName: parts[6], Qualifier: parts[7] } : { FunctionName: parts[6] };
}

/** An error named as Lambda's Node.js runtime names its own (`Runtime.ImportModuleError`...). */
function runtimeError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * A Lambda Invoke client from @aws-sdk/client-lambda (imported on first use: most runs never
 * call Lambda, and the SDK would slow every start-up). A local endpoint gets fixed credentials,
 * which SAM local and LocalStack accept; `aws` uses the real endpoint and AWS's credential chain.
 */
async function lambdaInvoker(endpoint: string, region: string): Promise<LambdaInvoker> {
  const { LambdaClient, InvokeCommand } = await import("@aws-sdk/client-lambda");
  const real = endpoint === "aws";
  const client = new LambdaClient({
    region,
    maxAttempts: 1,
    ...(real ? {} : { endpoint, credentials: { accessKeyId: "cognito-twin", secretAccessKey: "cognito-twin" } }),
  });
  return {
    async invoke(arn, payload, signal) {
      try {
        const out = await client.send(
          new InvokeCommand({
            ...(real ? { FunctionName: arn } : localTarget(arn)),
            InvocationType: "RequestResponse",
            Payload: new TextEncoder().encode(payload),
          }),
          { abortSignal: signal },
        );
        const text = out.Payload ? new TextDecoder().decode(out.Payload) : "";
        if (out.FunctionError) {
          let body: { errorType?: unknown; errorMessage?: unknown } = {};
          try {
            body = JSON.parse(text) as typeof body;
          } catch {
            body = { errorMessage: text };
          }
          return {
            kind: "function-error",
            errorType: typeof body.errorType === "string" ? body.errorType : out.FunctionError,
            errorMessage: typeof body.errorMessage === "string" ? body.errorMessage : text,
          };
        }
        if (Buffer.byteLength(text) > MAX_RESPONSE_BYTES) return responseTooLarge();
        try {
          return { kind: "returned", payload: text === "" ? null : JSON.parse(text) };
        } catch {
          return { kind: "invalid-json" };
        }
      } catch (e) {
        if (signal.aborted) return { kind: "timeout" };
        const err = e as { name?: string; code?: string; message?: string };
        // Lambda's own refusals keep their names (ResourceNotFoundException, AccessDeniedException...);
        // an endpoint that is down is a connection error.
        const reason = err.name && err.name !== "Error" ? err.name : (err.code ?? "ServiceException");
        return { kind: "not-invocable", reason };
      }
    },
  };
}
