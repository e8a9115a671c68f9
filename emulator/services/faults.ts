// Faults on demand: rules that make the emulator throttle, fail, slow down or go away for chosen
// operations or managed login paths, so apps can test their error handling, and the quota mode
// (services/quotas.ts). This holds, checks and matches the rules; the protocol and http layers
// act on what a match decides (protocol/faults.ts). docs/faults.md, docs/decisions/0032.
import type { Clock } from "../core/clock.js";
import { type CognitoError, errors } from "../core/errors.js";
import { FAULT_ACTIONS, type FaultAction, type FaultRuleInput } from "../core/fault-rules.js";
import type { QuotaCategory } from "../core/quotas.js";
import { MODEL_EXCEPTIONS, type ModelException, model, OPERATION_NAMES, type OperationName } from "../model/index.js";
import { FAULT_MESSAGES } from "./fault-messages.js";
import { QuotaLimiter } from "./quotas.js";

/** The longest latency a rule may add, and how long `hang` holds a request at most. */
export const MAX_FAULT_LATENCY_MS = 60_000;
/** How many rules the emulator holds at once. */
export const MAX_FAULT_RULES = 1000;

/** The OAuth 2.0 `error` codes a rule on a managed login path may answer (RFC 6749, RFC 6750). */
const OAUTH_FAULT_ERRORS = [
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "invalid_scope",
  "invalid_token",
  "access_denied",
  "server_error",
  "temporarily_unavailable",
] as const;

/** A rule as listed: its settings (with `until` worked out) and how often it fired. */
export interface FaultRuleView extends Omit<FaultRuleInput, "forSeconds"> {
  readonly id: string;
  /** How many requests it answered (or slowed down, or dropped). */
  readonly fired: number;
  /** True once a rule with a `count` fired that often. */
  readonly spent: boolean;
  /** For operation rules: the operations it applies to (a glob narrowed to those that can answer its error). */
  readonly operations?: readonly OperationName[];
}

/** A rule that cannot be used: `field` names what is wrong (the test control answers 400 with both). */
export class FaultRuleError extends Error {
  override readonly name = "FaultRuleError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a rule is matched against beside the operation or path. */
export interface FaultRequest {
  readonly userPoolId?: string | undefined;
  readonly clientId?: string | undefined;
}

/** What a fired rule (or the quota mode) asks the request's layer to do. */
export interface FaultDecision {
  /** The rule's id, or `quota:<Category>` for the quota mode. */
  readonly ruleId: string;
  readonly action: FaultAction;
  /** Milliseconds to wait before acting (0: none). */
  readonly latencyMs: number;
  /** The API's answer for `error`, `throttle`, `http500` and `http503`. */
  readonly error?: CognitoError;
  /** For rules on paths: the OAuth `error` code of `error`, and the message of `error` or `throttle`. */
  readonly oauthError?: string;
  readonly message?: string;
}

interface Rule {
  readonly view: Omit<FaultRuleView, "fired" | "spent">;
  /** The operations (or paths) the rule applies to: what it is indexed by. */
  readonly operations: readonly string[];
  readonly paths: readonly string[];
  readonly fromMs: number;
  readonly untilMs: number;
  readonly random: () => number;
  readonly decision: FaultDecision;
  fired: number;
}

const RULE_KEYS = new Set([
  "id",
  "operation",
  "path",
  "userPoolId",
  "clientId",
  "probability",
  "seed",
  "count",
  "from",
  "until",
  "forSeconds",
  "action",
  "error",
  "message",
  "latencyMs",
]);
const ID = /^[A-Za-z0-9_.-]{1,64}$/;
const OPERATION_GLOB = /^[A-Za-z*]{1,128}$/;
const PATH_GLOB = /^\/[A-Za-z0-9_./*-]{0,127}$/;
const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
/** The end of 9999, the latest time the emulator's clock may show (http/twin-routes.ts). */
const LATEST_SECONDS = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000;
const EXCEPTIONS: ReadonlySet<string> = new Set(MODEL_EXCEPTIONS);

/**
 * A glob (`*` is any run of characters) as a test. Matched with the one-star-backtrack walk, in
 * time proportional to the name times the glob, so no glob makes a rule slow to set (a regular
 * expression of many `.*` can take exponential time on a name it does not match).
 */
function globTest(glob: string): (name: string) => boolean {
  if (!glob.includes("*")) return (name) => name === glob;
  return (name) => {
    let g = 0;
    let n = 0;
    let star = -1;
    let resume = 0;
    while (n < name.length) {
      if (g < glob.length && glob[g] !== "*" && glob[g] === name[n]) {
        g++;
        n++;
      } else if (g < glob.length && glob[g] === "*") {
        star = g++;
        resume = n;
      } else if (star >= 0) {
        g = star + 1;
        n = ++resume;
      } else return false;
    }
    while (g < glob.length && glob[g] === "*") g++;
    return g === glob.length;
  };
}

/** mulberry32: a small, fast, seedable generator; `probability` rules with a `seed` repeat exactly. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "string" ? JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}...` : v) : String(v);
}

/** Options of {@link Faults}. */
export interface FaultsOptions {
  /** The emulator's clock: time windows and the quota mode run on it. */
  readonly clock: Clock;
  /** The paths of a pool's domain (http/hosted/index.ts), which `path` rules must name. */
  readonly paths: readonly string[];
  /** Turns the quota mode on with these rates (AWS's defaults for categories left out). */
  readonly quotas?: Readonly<Partial<Record<QuotaCategory, number>>> | undefined;
  /** Random numbers for `probability` rules without a `seed` (Math.random by default). */
  readonly random?: () => number;
}

/**
 * The fault rules of one emulator and the quota mode. `armed` is the one check the hot paths
 * make: false while there are no rules and no quota mode.
 *
 * @example
 * twin.faults.add({ operation: "InitiateAuth", action: "throttle", count: 2 });
 */
export class Faults {
  /** False while no rule is set and the quota mode is off: the request paths check only this. */
  armed = false;
  readonly #clock: Clock;
  readonly #paths: readonly string[];
  readonly #random: () => number;
  readonly #quotas: QuotaLimiter | undefined;
  #rules: Rule[] = [];
  // The rules by operation and by path, in the order they are tried: a request looks up only its own.
  #byOperation = new Map<string, Rule[]>();
  #byPath = new Map<string, Rule[]>();
  #nextId = 1;
  /** Requests held by `delay` or `hang`; closing the emulator lets them go. */
  readonly #waiting = new Set<() => void>();

  constructor(options: FaultsOptions) {
    this.#clock = options.clock;
    this.#paths = options.paths;
    this.#random = options.random ?? Math.random;
    this.#quotas = options.quotas ? new QuotaLimiter(options.quotas) : undefined;
    this.armed = this.#quotas !== undefined;
  }

  /** The quota mode's rates, or undefined when it is off. */
  get quotaRates(): Readonly<Record<QuotaCategory, number>> | undefined {
    return this.#quotas?.rates;
  }

  /** Adds one rule (checked first: a FaultRuleError names the field it cannot use). */
  add(input: FaultRuleInput | unknown): FaultRuleView {
    return this.#insert([input], false)[0]!;
  }

  /**
   * Adds rules all together, or none of them when one cannot be used (its FaultRuleError's field
   * starts with the rule's place in the list, `[1].latencyMs`).
   */
  addAll(inputs: readonly unknown[]): FaultRuleView[] {
    return this.#insert(inputs, true);
  }

  #insert(inputs: readonly unknown[], listed: boolean): FaultRuleView[] {
    if (this.#rules.length + inputs.length > MAX_FAULT_RULES)
      throw new FaultRuleError("", `at most ${MAX_FAULT_RULES} fault rules can be set at once`);
    const taken = new Set(this.#rules.map((r) => r.view.id));
    const made: Rule[] = [];
    inputs.forEach((input, i) => {
      try {
        const rule = this.#parse(input, taken);
        taken.add(rule.view.id);
        made.push(rule);
      } catch (e) {
        if (e instanceof FaultRuleError && listed)
          throw new FaultRuleError(`[${i}]${e.field ? `.${e.field}` : ""}`, `rule ${i}: ${e.message}`);
        throw e;
      }
    });
    this.#rules = [...this.#rules, ...made];
    this.#reindex();
    return made.map((r) => this.#viewOf(r));
  }

  /** Every rule, in the order they are tried. */
  list(): FaultRuleView[] {
    return this.#rules.map((r) => this.#viewOf(r));
  }

  get(id: string): FaultRuleView | undefined {
    const rule = this.#rules.find((r) => r.view.id === id);
    return rule ? this.#viewOf(rule) : undefined;
  }

  /** Removes one rule; false when there is none with this id. */
  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.view.id !== id);
    this.#reindex();
    return this.#rules.length !== before;
  }

  /** Removes every rule and forgets what the quota mode counted; answers how many rules went. */
  clear(): number {
    const n = this.#rules.length;
    this.#rules = [];
    this.#reindex();
    this.#quotas?.clear();
    return n;
  }

  /** Requests the quota mode refused by category since the last reset (undefined when it is off). */
  quotaRefusals(): Partial<Record<QuotaCategory, number>> | undefined {
    return this.#quotas?.refused();
  }

  /**
   * The fault for one call of an API operation, or undefined: the first rule that fires, else
   * the quota mode's throttling. `request` is asked only when a rule names a pool or client.
   */
  forOperation(operation: OperationName, request: () => FaultRequest, region: string): FaultDecision | undefined {
    const rules = this.#byOperation.get(operation);
    if (rules === undefined && this.#quotas === undefined) return undefined;
    const now = this.#clock.now();
    let facts: FaultRequest | undefined;
    const known = () => (facts ??= request());
    const fired = rules && this.#match(rules, known, now);
    if (fired || !this.#quotas) return fired;
    const refusal = this.#quotas.take(operation, region, known().userPoolId, now);
    if (!refusal) return undefined;
    return { ruleId: `quota:${refusal.category}`, action: "throttle", latencyMs: 0, error: errors.rateExceeded() };
  }

  /** Whether a rule names this path of a pool's domain (so the request's client is worth finding out). */
  watches(path: string): boolean {
    return this.#byPath.has(path);
  }

  /** The fault for one request to a path of a pool's domain, or undefined. */
  forPath(path: string, request: () => FaultRequest): FaultDecision | undefined {
    const rules = this.#byPath.get(path);
    return rules && this.#match(rules, request, this.#clock.now());
  }

  /**
   * Waits `ms` of real time, or until `signal` aborts (the client hung up) or the emulator
   * closes; answers which. What `delay`, latency and `hang` wait with.
   */
  pause(ms: number, signal?: AbortSignal): Promise<"elapsed" | "aborted" | "released"> {
    return new Promise((resolve) => {
      if (signal?.aborted) {
        resolve("aborted");
        return;
      }
      const done = (how: "elapsed" | "aborted" | "released") => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.#waiting.delete(release);
        resolve(how);
      };
      const onAbort = () => done("aborted");
      const release = () => done("released");
      const timer = setTimeout(() => done("elapsed"), ms);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiting.add(release);
    });
  }

  /** Lets every held request go (the emulator is closing). */
  release(): void {
    for (const release of [...this.#waiting]) release();
  }

  #match(rules: readonly Rule[], request: () => FaultRequest, now: number): FaultDecision | undefined {
    let facts: FaultRequest | undefined;
    for (const rule of rules) {
      const { view } = rule;
      if (view.count !== undefined && rule.fired >= view.count) continue;
      if (now < rule.fromMs || now >= rule.untilMs) continue;
      if (view.userPoolId !== undefined || view.clientId !== undefined) {
        facts ??= request();
        if (view.userPoolId !== undefined && facts.userPoolId !== view.userPoolId) continue;
        if (view.clientId !== undefined && facts.clientId !== view.clientId) continue;
      }
      if (view.probability !== undefined && !(rule.random() < view.probability)) continue;
      rule.fired++;
      return rule.decision;
    }
    return undefined;
  }

  #reindex(): void {
    const index = (pick: (rule: Rule) => readonly string[]) => {
      const map = new Map<string, Rule[]>();
      for (const rule of this.#rules)
        for (const key of pick(rule)) {
          const list = map.get(key);
          if (list) list.push(rule);
          else map.set(key, [rule]);
        }
      return map;
    };
    this.#byOperation = index((r) => r.operations);
    this.#byPath = index((r) => r.paths);
    this.armed = this.#rules.length > 0 || this.#quotas !== undefined;
  }

  #viewOf(rule: Rule): FaultRuleView {
    const spent = rule.view.count !== undefined && rule.fired >= rule.view.count;
    return { ...rule.view, fired: rule.fired, spent };
  }

  /** Checks a rule as given and builds it; throws FaultRuleError naming the first field it cannot use. */
  #parse(input: unknown, taken: ReadonlySet<string>): Rule {
    if (input === null || typeof input !== "object" || Array.isArray(input))
      throw new FaultRuleError(
        "",
        `a fault rule is a JSON object like {"operation": "InitiateAuth", "action": "throttle"}, not ${kindOf(input)}`,
      );
    const given = input as Record<string, unknown>;
    for (const key of Object.keys(given))
      if (!RULE_KEYS.has(key))
        throw new FaultRuleError(key, `${key} is not a field of a fault rule (${[...RULE_KEYS].join(", ")})`);
    const str = (field: string, pattern: RegExp, what: string): string | undefined => {
      const v = given[field];
      if (v === undefined) return undefined;
      if (typeof v !== "string" || !pattern.test(v))
        throw new FaultRuleError(field, `${field} must be ${what}, not ${kindOf(v)}`);
      return v;
    };
    const num = (field: string, ok: (n: number) => boolean, what: string): number | undefined => {
      const v = given[field];
      if (v === undefined) return undefined;
      if (typeof v !== "number" || !Number.isFinite(v) || !ok(v))
        throw new FaultRuleError(field, `${field} must be ${what}, not ${kindOf(v)}`);
      return v;
    };

    const id = str("id", ID, "1 to 64 letters, digits, dots, dashes or underscores");
    if (id !== undefined && taken.has(id)) throw new FaultRuleError("id", `a fault rule with id ${id} is already set`);

    const action = given.action;
    if (typeof action !== "string" || !(FAULT_ACTIONS as readonly string[]).includes(action))
      throw new FaultRuleError("action", `action must be one of ${FAULT_ACTIONS.join(", ")}, not ${kindOf(action)}`);

    const operation = str("operation", OPERATION_GLOB, "an operation name or a glob of letters and * (like Admin*)");
    const path = str(
      "path",
      PATH_GLOB,
      "a path of a pool's domain like /oauth2/token (a * matches any run of characters)",
    );
    if ((operation === undefined) === (path === undefined))
      throw new FaultRuleError(
        operation === undefined ? "operation" : "path",
        "a fault rule names either an operation (or a glob of them) or a path of a pool's domain, and not both",
      );

    const userPoolId = str("userPoolId", POOL_ID, "a user pool id like us-east-1_Example01");
    const clientId = str("clientId", /^[\w+]{1,128}$/, "an app client id");
    const probability = num("probability", (p) => p > 0 && p <= 1, "a number above 0 and at most 1");
    const seed = num("seed", (s) => Number.isSafeInteger(s), "a whole number");
    if (seed !== undefined && probability === undefined)
      throw new FaultRuleError("seed", "seed seeds the random numbers of probability; give probability too");
    const count = num(
      "count",
      (n) => Number.isInteger(n) && n >= 1 && n <= 1_000_000,
      "a whole number from 1 to 1000000",
    );
    const inRange = (s: number) => s >= 0 && s <= LATEST_SECONDS;
    const from = num("from", inRange, "a time in epoch seconds between 1970 and 9999");
    let until = num("until", inRange, "a time in epoch seconds between 1970 and 9999");
    const forSeconds = num(
      "forSeconds",
      (s) => s > 0 && s <= 10 * 365 * 86400,
      "a number of seconds above 0, at most ten years",
    );
    if (forSeconds !== undefined) {
      if (until !== undefined) throw new FaultRuleError("forSeconds", "give until or forSeconds, not both");
      until = this.#clock.now() / 1000 + forSeconds;
    }
    if (from !== undefined && until !== undefined && until <= from)
      throw new FaultRuleError("until", `until (${until}) must be after from (${from})`);

    const latencyMs = num(
      "latencyMs",
      (ms) => Number.isInteger(ms) && ms >= 0 && ms <= MAX_FAULT_LATENCY_MS,
      `a whole number of milliseconds from 0 to ${MAX_FAULT_LATENCY_MS}`,
    );
    if (action === "delay" && latencyMs === undefined)
      throw new FaultRuleError("latencyMs", "a delay rule needs latencyMs, the milliseconds to wait");
    if (action === "hang" && latencyMs !== undefined)
      throw new FaultRuleError(
        "latencyMs",
        `a hang rule holds the request until the client gives up (at most ${MAX_FAULT_LATENCY_MS} ms); it takes no latencyMs`,
      );

    const message = given.message;
    if (message !== undefined) {
      if (action !== "error" && action !== "throttle")
        throw new FaultRuleError("message", `message goes with the actions error and throttle, not ${action}`);
      if (typeof message !== "string" || message.length < 1 || message.length > 1024)
        throw new FaultRuleError("message", `message must be a string of 1 to 1024 characters, not ${kindOf(message)}`);
    }
    const errorName = given.error;
    if (action !== "error" && errorName !== undefined)
      throw new FaultRuleError("error", `error goes with the action error, not ${action}`);
    if (action === "error" && typeof errorName !== "string")
      throw new FaultRuleError("error", `an error rule needs error, the error to answer, not ${kindOf(errorName)}`);

    let operations: OperationName[] | undefined;
    let paths: string[] = [];
    let decision: FaultDecision;
    const ruleId = id ?? this.#freshId(taken);
    const base = { ruleId, action: action as FaultAction, latencyMs: latencyMs ?? 0 };
    if (operation !== undefined) {
      const test = globTest(operation);
      operations = OPERATION_NAMES.filter(test);
      if (operations.length === 0)
        throw new FaultRuleError(
          "operation",
          operation.includes("*")
            ? `${operation} matches no operation of the API`
            : `${operation} is not an operation of the API`,
        );
      let error: CognitoError | undefined;
      if (action === "error") {
        const type = errorName as string;
        if (!EXCEPTIONS.has(type))
          throw new FaultRuleError(
            "error",
            `${type} is not an error of the API (its model lists ${MODEL_EXCEPTIONS.length})`,
          );
        const able = operations.filter((op) => model.operations[op].errors.includes(type));
        if (able.length === 0)
          throw new FaultRuleError(
            "error",
            operations.length === 1
              ? `${operations[0]} cannot answer ${type}; its model lists ${model.operations[operations[0]!].errors.join(", ")}`
              : `no operation that ${operation} matches can answer ${type}`,
          );
        operations = able;
        error = errors.injected(
          type as ModelException,
          (message as string | undefined) ?? FAULT_MESSAGES[type as ModelException] ?? type,
        );
      } else if (action === "throttle") error = errors.rateExceeded(message as string | undefined);
      else if (action === "http500") error = errors.frontDoorFailure();
      else if (action === "http503") error = errors.frontDoorUnavailable();
      decision = { ...base, ...(error ? { error } : {}) };
    } else {
      const test = globTest(path as string);
      paths = this.#paths.filter(test);
      if (paths.length === 0)
        throw new FaultRuleError("path", `${path} is not a path of a pool's domain (${this.#paths.join(", ")})`);
      if (action === "error" && !(OAUTH_FAULT_ERRORS as readonly string[]).includes(errorName as string))
        throw new FaultRuleError(
          "error",
          `on a path, error is an OAuth 2.0 error code (${OAUTH_FAULT_ERRORS.join(", ")}), not ${kindOf(errorName)}`,
        );
      decision = {
        ...base,
        ...(action === "error" ? { oauthError: errorName as string } : {}),
        ...(typeof message === "string" ? { message } : {}),
      };
    }

    const view: Omit<FaultRuleView, "fired" | "spent"> = {
      id: ruleId,
      ...(operation !== undefined ? { operation } : { path: path as string }),
      ...(userPoolId !== undefined ? { userPoolId } : {}),
      ...(clientId !== undefined ? { clientId } : {}),
      ...(probability !== undefined ? { probability } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(count !== undefined ? { count } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(until !== undefined ? { until } : {}),
      action: action as FaultAction,
      ...(typeof errorName === "string" ? { error: errorName } : {}),
      ...(typeof message === "string" ? { message } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(operations ? { operations } : {}),
    };
    return {
      view,
      operations: operations ?? [],
      paths,
      fromMs: from === undefined ? Number.NEGATIVE_INFINITY : from * 1000,
      untilMs: until === undefined ? Number.POSITIVE_INFINITY : until * 1000,
      random: seed === undefined ? this.#random : seeded(seed),
      decision,
      fired: 0,
    };
  }

  #freshId(taken: ReadonlySet<string>): string {
    let id: string;
    do id = `fault-${this.#nextId++}`;
    while (taken.has(id));
    return id;
  }
}
