// What a target hands the runner: a pool and client to use, an SDK client, and how codes,
// confirmation and time work there.
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { CodeSource, DomainOffer, FaultControl, ScenarioClock, SocialStandIns, TriggerOffer } from "../types.js";

/** An opened target, ready for scenarios. */
export interface OpenTarget {
  readonly name: string;
  /** One line for reports: where it runs and with which pool. */
  readonly description: string;
  readonly region: string;
  readonly poolId: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly cognito: CognitoIdentityProviderClient;
  readonly codes: CodeSource;
  readonly clock?: ScenarioClock;
  /** The emulator's URL; absent for AWS. */
  readonly endpoint?: string;
  /** The `iss` of the pool's tokens. */
  readonly issuer: string;
  readonly jwksUrl: string;
  /** The pool's domain (made by the run on emulators; COGNITO_DOMAIN on AWS), or why there is none. */
  readonly domain?: DomainOffer;
  /**
   * Whether the target runs the trigger scenarios' functions (scenarios/triggers/handlers.mjs),
   * found out when asked (emulators probe with a throwaway pool); the runner asks once per run,
   * when the first scenario that needs them starts. Absent: it runs none.
   */
  readonly triggers?: () => Promise<TriggerOffer>;
  /** The emulator's social provider stand-ins; absent for AWS. */
  readonly social?: SocialStandIns;
  /** The emulator's fault rules (/_twin/faults, docs/faults.md); absent for AWS. */
  readonly faults?: FaultControl;
  /** How sign-ups are confirmed: the emailed code, or AdminConfirmSignUp. */
  readonly confirmation: "code" | "admin";
  /** Prefix of every throwaway user's email, unique per run. */
  readonly userPrefix: string;
  readonly emailDomain: string;
  /** Releases what the target made (pool, server, container). */
  close(): Promise<void>;
}

/**
 * A target that could not be opened says why; `refused` marks a guard rail that kept the run
 * off live AWS (the command exits 3 for it, 2 for other unavailable targets).
 */
export type TargetOpening =
  | { readonly available: true; readonly target: OpenTarget }
  | { readonly available: false; readonly reason: string; readonly refused?: true };
