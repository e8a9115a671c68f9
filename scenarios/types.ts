// The vocabulary of the scenario runner: what a scenario is given, what a target provides, and
// what a run reports. Scenarios see only ScenarioContext, never which target they run on.
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { CognitoAuthClient } from "../client/cognito-client.js";

/** Why a code was sent; matches the emulator inbox's `reason`. */
type CodeReason = "SignUp" | "ResendCode" | "ForgotPassword" | "Authentication";

/** Which code a step needs. */
export interface CodeRequest {
  readonly poolId: string;
  /** What the user typed as username (the email here). */
  readonly email: string;
  /** The user's username inside Cognito (the sub, in email-as-username pools), when known. */
  readonly username?: string;
  readonly reason: CodeReason;
}

/**
 * Where emailed codes come from: the emulator's inbox, a person at a terminal, a command.
 * `code()` throws {@link SkipStep} when it cannot get one; a step is then skipped, never passed.
 */
export interface CodeSource {
  readonly name: string;
  /** True when codes arrive without a person (so scenarios may fetch them freely). */
  readonly automatic: boolean;
  code(request: CodeRequest): Promise<string>;
}

/** A target's movable clock (emulators only). */
export interface ScenarioClock {
  /** Moves the target's time forward. */
  advance(seconds: number): Promise<void>;
  /** The target's current time in epoch ms (what its token checks use). */
  now(): number;
}

/** HTTP access to the client app (`createAuthApp`) bound to the same target. */
interface AppHandle {
  /** Calls a route; `path` like `/login`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** Admin calls (SigV4-signed), for setup and cleanup. */
export interface AdminHelpers {
  confirmSignUp(username: string): Promise<void>;
  deleteUser(username: string): Promise<void>;
  /** Creates the group when missing and adds the user to it. */
  addToGroup(username: string, group: string): Promise<void>;
}

/** A throwaway user of one scenario. */
export interface ScenarioUser {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  /** Cognito's username (UserSub) once signed up. */
  sub?: string;
}

/** The pool's domain: where its managed login pages and OAuth 2.0 endpoints answer. */
export interface HostedDomain {
  /**
   * The domain's base URL: the emulator's path form (`http://127.0.0.1:9229/_domain/scn-1a2b3c4d`)
   * or Cognito's (`https://myapp.auth.eu-west-1.amazoncognito.com`).
   */
  readonly base: string;
  /** The pool's OIDC discovery document (openid-client reads the issuer and the keys there). */
  readonly discoveryUrl: string;
}

/** A domain, or why the target has none (the hosted scenarios skip with it). */
export type DomainOffer = HostedDomain | { readonly unavailable: string };

/** The Lambda functions of scenarios/triggers/handlers.mjs, named by their exports. */
export type TriggerFunctionName =
  | "scenarioProbe"
  | "scenarioPreSignUp"
  | "scenarioPostConfirmation"
  | "scenarioCustomMessage"
  | "scenarioPreAuthentication"
  | "scenarioPostAuthentication"
  | "scenarioCustomEmailSender"
  | "scenarioPreTokenGeneration"
  | "scenarioUserMigration"
  | "scenarioDefineAuthChallenge"
  | "scenarioCreateAuthChallenge"
  | "scenarioVerifyAuthChallenge";

/** A target that runs the trigger scenarios' functions (scenarios/triggers/handlers.mjs). */
export interface TriggerFunctions {
  /** The ARN a pool's LambdaConfig names the function with. */
  arn(name: TriggerFunctionName): string;
  /**
   * What the target's inbox (`GET /_twin/messages`) holds for a user of a pool, text included
   * where it keeps it; undefined when the target has no inbox.
   */
  messages(poolId: string, username: string): Promise<readonly Record<string, unknown>[] | undefined>;
  /**
   * The invocations of a pool's functions the target lists (`GET /_twin/triggers`), with the
   * events they got, oldest first; undefined when the target does not list them.
   */
  invocations(poolId: string, triggerSource: string): Promise<readonly TriggerInvocationSeen[] | undefined>;
  /**
   * The key the target encrypts custom sender codes with (`GET /_twin/triggers/sender-key`: the
   * raw AES keyring standing in for KMS); undefined when the target has none.
   */
  senderKey(): Promise<SenderKey | undefined>;
}

/** The raw AES keyring of `GET /_twin/triggers/sender-key` (the key base64). */
export interface SenderKey {
  readonly keyNamespace: string;
  readonly keyName: string;
  readonly wrappingSuite: string;
  readonly key: string;
}

/** One invocation as the emulator's `GET /_twin/triggers` lists it. */
export interface TriggerInvocationSeen {
  readonly functionArn: string;
  readonly triggerSource: string;
  readonly event: Record<string, unknown>;
  readonly outcome: { readonly kind: string };
}

/**
 * The emulator's social provider stand-ins (docs/federation.md): a pool's Google provider signs
 * in there, and identities are registered through the test control
 * `POST /_twin/social/<provider>/identities` (docs/test-controls.md).
 */
export interface SocialStandIns {
  /**
   * Registers (or updates) an identity at a stand-in (`google`, `facebook`, `amazon`, `apple`);
   * answers the identity as the stand-in keeps it (its `sub`...).
   */
  register(provider: string, identity: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>>;
}

/**
 * The emulator's fault rules (docs/faults.md) through its test control `/_twin/faults`: a
 * scenario makes Cognito throttle or fail and checks what the app does. The runner removes the
 * rules a scenario set when it ends.
 */
export interface FaultControl {
  /** Sets a rule as `POST /_twin/faults` takes it; answers its id. */
  add(rule: Readonly<Record<string, unknown>>): Promise<string>;
  /** How often a rule fired so far. */
  fired(id: string): Promise<number>;
  /** Removes a rule. */
  remove(id: string): Promise<void>;
}

/** The trigger functions, or why the target does not run them (the trigger scenarios skip with it). */
export type TriggerOffer = TriggerFunctions | { readonly unavailable: string };

/** What every scenario receives. */
export interface ScenarioContext {
  /** The SDK client (its calls are recorded into the transcript when one is kept). */
  readonly cognito: CognitoIdentityProviderClient;
  /** The seed app's Cognito client, on the same SDK client. */
  readonly client: CognitoAuthClient;
  readonly region: string;
  readonly poolId: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** The `iss` the pool's tokens carry. */
  readonly issuer: string;
  /** Where the pool's signing keys are. */
  readonly jwksUrl: string;
  /** The pool's domain, for the managed login pages and the OAuth 2.0 endpoints. */
  readonly domain: DomainOffer;
  readonly codes: CodeSource;
  /** Present only when the target's time can be moved. */
  readonly clock?: ScenarioClock;
  /** Present only when the target runs the trigger scenarios' functions (see `needs`). */
  readonly triggers?: TriggerFunctions;
  /** Present only on emulators: their social provider stand-ins. */
  readonly social?: SocialStandIns;
  /** Present only when the target takes fault rules (emulators; see `needs`). */
  readonly faults?: FaultControl;
  readonly app: AppHandle;
  readonly admin: AdminHelpers;
  /** A fresh user (unique, prefixed name) that is deleted when the scenario ends. */
  newUser(label?: string): ScenarioUser;
  /** Signs the user up. */
  signUp(user: ScenarioUser): Promise<void>;
  /**
   * Confirms a signed-up user the target's way: the emailed code through ConfirmSignUp on
   * emulators, AdminConfirmSignUp on live Cognito. Returns which.
   */
  confirm(user: ScenarioUser): Promise<"code" | "admin">;
  /** signUp + confirm. */
  confirmedUser(label?: string): Promise<ScenarioUser>;
  /** Runs and times one step; its failure ends the scenario. */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Ends the scenario as skipped (inside or outside a step). */
  skip(reason: string): never;
  /** Adds a note to the current step (shown in reports). */
  note(text: string): void;
}

/** One scenario: a name, what it needs from the target, and its body. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /**
   * `clock`: skipped with a reason on targets without one. `triggers`: skipped with the reason
   * on targets that do not run scenarios/triggers/handlers.mjs's functions. `faults`: skipped on
   * targets without fault rules (live Cognito). A scenario that needs the clock or faults runs
   * alone, as what it changes would reach the scenarios beside it.
   */
  readonly needs?: readonly ("clock" | "triggers" | "faults")[];
  run(ctx: ScenarioContext): Promise<void>;
}

/** Thrown to skip: the step and the scenario are reported as skipped with the reason. */
export class SkipStep extends Error {
  override readonly name = "SkipStep";
}

/** Outcome of one step. */
export interface StepResult {
  readonly name: string;
  readonly status: "passed" | "failed" | "skipped";
  readonly ms: number;
  readonly error?: string;
  readonly reason?: string;
  readonly notes?: readonly string[];
}

/** Outcome of one scenario. */
export interface ScenarioResult {
  readonly name: string;
  readonly status: "passed" | "failed" | "skipped";
  readonly ms: number;
  readonly steps: readonly StepResult[];
  /** For failures: the first error; for skips: the reason. */
  readonly error?: string;
  readonly reason?: string;
}

/** Outcome of a run. */
export interface RunResult {
  readonly target: string;
  readonly description: string;
  readonly startedAt: string;
  readonly ms: number;
  readonly scenarios: readonly ScenarioResult[];
  readonly summary: {
    readonly passed: number;
    readonly failed: number;
    readonly skipped: number;
    readonly total: number;
  };
}

/** Progress events, for live output. */
export type RunEvent =
  | { readonly type: "run-start"; readonly target: string; readonly description: string; readonly scenarios: number }
  | { readonly type: "scenario-start"; readonly name: string }
  | { readonly type: "step-end"; readonly scenario: string; readonly step: StepResult }
  | { readonly type: "scenario-end"; readonly result: ScenarioResult }
  | { readonly type: "run-end"; readonly result: RunResult };
