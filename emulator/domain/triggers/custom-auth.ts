// The custom authentication triggers: define auth challenge (the state machine: tokens, failure
// or the next challenge), create auth challenge (the question and its hidden answer) and verify
// auth challenge response (is the answer right). This file builds their events and reads their
// answers; domain/challenges/custom-challenge.ts runs the flow between them. Event shapes follow
// AWS's "Define/Create/Verify Auth challenge Lambda trigger" pages (docs/decisions/0017).
import { errors } from "../../core/errors.js";
import type { StoredPool, StoredUser } from "../../store/types.js";
import { userAttributesOf } from "./authentication.js";
import {
  readBoolean,
  readString,
  readStringMap,
  runTrigger,
  type TriggerContext,
  type TriggerResponse,
  triggerArn,
} from "./run.js";

/** One entry of the `session` list the challenge triggers get: a challenge presented and how it went. */
export interface ChallengeResultEntry {
  /** `SRP_A`, `PASSWORD_VERIFIER` or `CUSTOM_CHALLENGE`. */
  readonly challengeName: string;
  readonly challengeResult: boolean;
  /** Create auth challenge's `challengeMetadata` for a custom challenge; null otherwise. */
  readonly challengeMetadata: string | null;
}

/** Who, and for which call, the challenge triggers run. */
export interface CustomAuthCall {
  readonly pool: StoredPool;
  readonly clientId: string;
  /** The user, or undefined for a name that matches none (PreventUserExistenceErrors ENABLED). */
  readonly user: StoredUser | undefined;
  /** The event's `userName`: the user's username, or the name given for an unknown one. */
  readonly userName: string;
  /** True when the client hides users: then (only) the events carry `userNotFound`. */
  readonly reportsUserNotFound: boolean;
  /**
   * The call's ClientMetadata. InitiateAuth passes none to these triggers (its API reference
   * lists them among those it invokes without it); RespondToAuthChallenge passes its own.
   */
  readonly clientMetadata?: Readonly<Record<string, string>> | undefined;
}

/** What define auth challenge decided. */
export type DefineDecision =
  | { readonly kind: "tokens" }
  | { readonly kind: "fail" }
  | { readonly kind: "challenge"; readonly name: "CUSTOM_CHALLENGE" | "PASSWORD_VERIFIER" };

/** A challenge create auth challenge made. */
export interface CreatedChallenge {
  /** Shown to the caller as ChallengeParameters. */
  readonly publicParameters: Record<string, string>;
  /** Kept in the session for verify auth challenge response. */
  readonly privateParameters: Record<string, string>;
  /** Recorded as the challenge's `challengeMetadata` in later `session` lists. */
  readonly metadata: string | undefined;
}

/** True when the pool's LambdaConfig names a define auth challenge function (CUSTOM_AUTH can start). */
export function hasCustomAuth(pool: StoredPool): boolean {
  return triggerArn(pool, "DefineAuthChallenge") !== undefined;
}

/**
 * Runs define auth challenge (`DefineAuthChallenge_Authentication`) on the challenges so far.
 * `failAuthentication` wins over `issueTokens`, which wins over `challengeName`; the next
 * challenge must be CUSTOM_CHALLENGE, or PASSWORD_VERIFIER right after SRP_A. Anything else
 * (no decision at all, another challenge name) is InvalidLambdaResponseException.
 */
export async function defineAuthChallenge(
  ctx: TriggerContext,
  call: CustomAuthCall,
  session: readonly ChallengeResultEntry[],
): Promise<DefineDecision> {
  const response = await run(
    ctx,
    call,
    "DefineAuthChallenge",
    { session: [...session] },
    {
      challengeName: null,
      issueTokens: null,
      failAuthentication: null,
    },
  );
  const challengeName = readString(response, "challengeName");
  const issueTokens = readBoolean(response, "issueTokens");
  const failAuthentication = readBoolean(response, "failAuthentication");
  if (failAuthentication) return { kind: "fail" };
  if (issueTokens) return { kind: "tokens" };
  if (challengeName === "CUSTOM_CHALLENGE") return { kind: "challenge", name: challengeName };
  if (challengeName === "PASSWORD_VERIFIER" && session.at(-1)?.challengeName === "SRP_A") {
    return { kind: "challenge", name: challengeName };
  }
  throw errors.lambdaUnrecognizable();
}

/** Runs create auth challenge (`CreateAuthChallenge_Authentication`) for the challenge define asked for. */
export async function createAuthChallenge(
  ctx: TriggerContext,
  call: CustomAuthCall,
  challengeName: string,
  session: readonly ChallengeResultEntry[],
): Promise<CreatedChallenge> {
  const response = await run(
    ctx,
    call,
    "CreateAuthChallenge",
    { challengeName, session: [...session] },
    {
      publicChallengeParameters: null,
      privateChallengeParameters: null,
      challengeMetadata: null,
    },
  );
  return {
    publicParameters: readStringMap(response, "publicChallengeParameters") ?? {},
    privateParameters: readStringMap(response, "privateChallengeParameters") ?? {},
    metadata: readString(response, "challengeMetadata"),
  };
}

/**
 * Runs verify auth challenge response (`VerifyAuthChallengeResponse_Authentication`) on the
 * caller's ANSWER; true when the function set `answerCorrect` (left unset, the answer is wrong).
 */
export async function verifyAuthChallengeResponse(
  ctx: TriggerContext,
  call: CustomAuthCall,
  privateParameters: Readonly<Record<string, string>>,
  answer: string,
): Promise<boolean> {
  const response = await run(
    ctx,
    call,
    "VerifyAuthChallengeResponse",
    { privateChallengeParameters: { ...privateParameters }, challengeAnswer: answer },
    { answerCorrect: null },
  );
  return readBoolean(response, "answerCorrect") === true;
}

type ChallengeTrigger = "DefineAuthChallenge" | "CreateAuthChallenge" | "VerifyAuthChallengeResponse";

/**
 * Runs one of the three with the request Cognito sends: userAttributes, the trigger's own
 * members, then clientMetadata (when the call has some) and userNotFound (when the client hides
 * users). A pool without the function is `Custom auth lambda trigger is not configured`.
 */
async function run(
  ctx: TriggerContext,
  call: CustomAuthCall,
  name: ChallengeTrigger,
  own: Record<string, unknown>,
  response: Record<string, unknown>,
): Promise<TriggerResponse> {
  const request: Record<string, unknown> = { userAttributes: userAttributes(call.pool, call.user), ...own };
  if (call.clientMetadata) request.clientMetadata = { ...call.clientMetadata };
  if (call.reportsUserNotFound) request.userNotFound = call.user === undefined;
  const answer = await runTrigger(ctx, call.pool, {
    name,
    triggerSource: `${name}_Authentication`,
    userName: call.userName,
    clientId: call.clientId,
    request,
    response,
  });
  if (!answer) throw errors.customAuthNotConfigured();
  return answer;
}

/**
 * `request.userAttributes` as the challenge triggers see it: the sign-in triggers' (`sub`,
 * `cognito:user_status`, the attributes) with, after the status, the alias markers
 * (`cognito:email_alias`, `cognito:phone_number_alias`) of the verified attributes the pool
 * signs in with, as a captured define event shows them (amplify-js issue 5834); empty for an
 * unknown user.
 */
function userAttributes(pool: StoredPool, user: StoredUser | undefined): Record<string, string> {
  if (!user) return {};
  const { sub, "cognito:user_status": status, ...rest } = userAttributesOf(user);
  const aliases: Record<string, string> = {};
  for (const alias of pool.pool.AliasAttributes ?? []) {
    if (alias !== "email" && alias !== "phone_number") continue;
    const value = rest[alias];
    if (value !== undefined && rest[`${alias}_verified`] === "true") aliases[`cognito:${alias}_alias`] = value;
  }
  return { ...(sub !== undefined ? { sub } : {}), "cognito:user_status": status!, ...aliases, ...rest };
}
