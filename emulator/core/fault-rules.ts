// The shape of a fault rule (docs/faults.md): what a test, the config file's `Faults` or
// `POST /_twin/faults` gives. A leaf, so the seed file's type can name it; services/faults.ts
// checks and runs the rules.

/** What a rule does when it fires. */
export const FAULT_ACTIONS = ["error", "throttle", "http500", "http503", "delay", "drop", "hang"] as const;
/** What a rule does: answer an error, throttle, answer as AWS's front door, wait, drop or hold the connection. */
export type FaultAction = (typeof FAULT_ACTIONS)[number];

/** A rule as a test, the config file's `Faults` or `POST /_twin/faults` gives it. */
export interface FaultRuleInput {
  /** Names the rule for `DELETE /_twin/faults/<id>`; one is made up when absent. */
  readonly id?: string;
  /** An operation of the API, or a glob over their names (`Admin*`, `*`). */
  readonly operation?: string;
  /** A managed login or OAuth 2.0 path of a pool's domain (`/oauth2/token`, `/login`, `/oauth2/*`). */
  readonly path?: string;
  readonly userPoolId?: string;
  readonly clientId?: string;
  /** Fires on this share of the matching requests (0 < p <= 1). */
  readonly probability?: number;
  /** Seeds the rule's own random numbers for `probability`, so a run repeats. */
  readonly seed?: number;
  /** Fires this many times, then is spent (still listed, with its count). */
  readonly count?: number;
  /** Active from this time on the emulator's clock (epoch seconds). */
  readonly from?: number;
  /** Active until this time on the emulator's clock (epoch seconds, not included). */
  readonly until?: number;
  /** Active for this many seconds of the emulator's clock from now (instead of `until`). */
  readonly forSeconds?: number;
  readonly action: FaultAction;
  /** For `error`: the error type (API) or OAuth `error` code (paths). */
  readonly error?: string;
  /** For `error` and `throttle`: the message, instead of the default one. */
  readonly message?: string;
  /** Milliseconds (real time) to wait before the action; what `delay` is about. */
  readonly latencyMs?: number;
}
