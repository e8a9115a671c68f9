// CUSTOM_AUTH: sign-in driven by the pool's define, create and verify auth challenge triggers
// (domain/triggers/custom-auth.ts). InitiateAuth (or AdminInitiateAuth) asks define what comes
// first; CUSTOM_CHALLENGE answers go to verify, and define sees each result and decides again:
// tokens, failure, or another challenge with a new Session. With SRP_A and CHALLENGE_NAME=SRP_A
// the password comes first (PASSWORD_VERIFIER, srp.ts), then the custom challenges.
// docs/triggers.md ("Custom authentication challenges"), docs/decisions/0017-lambda-triggers.md.
import type { InitiateAuthResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../../core/errors.js";
import type { Wire } from "../../core/wire.js";
import { newOpaque } from "../../services/ids.js";
import type { ChallengeRecord, StoredChallenge, StoredClient, StoredPool, StoredUser } from "../../store/types.js";
import { checkSecretHash, hidesUsers } from "../auth.js";
import { deviceForSignIn, deviceSrpChallenge, requireDevice, skipsMfa } from "../devices.js";
import { afterPassword, finishSignIn, type SignInContext } from "../flows.js";
import { mfaChallenge } from "../mfa.js";
import { preAuthentication } from "../triggers/authentication.js";
import {
  type ChallengeResultEntry,
  type CustomAuthCall,
  createAuthChallenge,
  defineAuthChallenge,
  hasCustomAuth,
  verifyAuthChallengeResponse,
} from "../triggers/custom-auth.js";
import { findUser } from "../users/lookup.js";
import { type ChallengeAnswer, type ChallengeResult, challengeUser, pendingChallenge } from "./common.js";
import { passwordVerifierChallenge, simulatedUsername, srpParameters } from "./srp.js";

/** What the custom flow uses: signing in (which includes the pool's triggers). */
type CustomAuthContext = SignInContext;

/** Where the flow stands between calls: kept in the challenge record's (string) data. */
interface FlowState {
  /** The challenges so far, as the next define call sees them. */
  readonly session: readonly ChallengeResultEntry[];
  /** The name the caller's challenges show as USERNAME (the username, or a simulated one). */
  readonly shown: string;
  /**
   * The confirmed device the sign-in named (DEVICE_KEY), whose proof (DEVICE_SRP_AUTH) comes
   * once define lets the user in.
   */
  readonly deviceKey?: string | undefined;
}

/**
 * CUSTOM_AUTH (InitiateAuth, AdminInitiateAuth; the caller checked ALLOW_CUSTOM_AUTH): USERNAME
 * (+ SECRET_HASH), and optionally SRP_A with CHALLENGE_NAME=SRP_A to verify the password first.
 * A pool without a define auth challenge function answers `Custom auth lambda trigger is not
 * configured for the user pool.`; an unknown name UserNotFoundException, or with
 * PreventUserExistenceErrors ENABLED a flow whose triggers see `userNotFound: true` and which
 * never ends in tokens. The pre authentication trigger runs first, with the request's
 * ClientMetadata (which define and create auth challenge do not get from InitiateAuth).
 */
export async function customAuthFlow(
  ctx: CustomAuthContext,
  pool: StoredPool,
  client: StoredClient,
  params: Record<string, string>,
  clientMetadata?: Readonly<Record<string, string>>,
): Promise<Wire<InitiateAuthResponse>> {
  const username = params.USERNAME;
  if (!username) throw errors.missingParameter("USERNAME");
  if (!hasCustomAuth(pool)) throw errors.customAuthNotConfigured();
  // The developer guide spells it CHALLENGE_NAME (as Amplify sends it), the API reference ChallengeName.
  const withSrp = (params.CHALLENGE_NAME ?? params.ChallengeName) === "SRP_A";
  const srpA = withSrp ? srpParameters(client, params).srpA : undefined;
  if (!withSrp) checkSecretHash(client, params.SECRET_HASH, [username]);
  await preAuthentication(ctx, pool, client, username, clientMetadata);

  const found = findUser(ctx, pool, username);
  if (!found && !hidesUsers(client)) throw errors.userNotFound();
  // Without SRP no password check comes to refuse these users, so the flow refuses them first;
  // with SRP the PASSWORD_VERIFIER answer does, as USER_SRP_AUTH's does.
  if (found && !withSrp) refuseUnableToSignIn(found);
  const shown = found ? found.username : await simulatedUsername(ctx, pool, username);
  // A start without SRP names its device in AuthParameters (Amplify's signInWithCustomAuth, which
  // retries without it on `Device does not exist.`); with SRP the PASSWORD_VERIFIER answer does.
  const deviceKey = found && !withSrp ? deviceForSignIn(pool, found, params.DEVICE_KEY)?.key : undefined;
  const call = callFor(pool, client, found, found?.username ?? username);
  const session: ChallengeResultEntry[] = withSrp
    ? [{ challengeName: "SRP_A", challengeResult: true, challengeMetadata: null }]
    : [];
  const decision = await defineAuthChallenge(ctx, call, session);
  if (decision.kind === "challenge" && decision.name === "PASSWORD_VERIFIER") {
    return passwordVerifierChallenge(ctx, pool, client, username, srpA!, found, {
      flow: "CUSTOM_AUTH",
      custom: JSON.stringify({ session, shown } satisfies FlowState),
    });
  }
  return follow(ctx, client, call, { session, shown, deviceKey }, decision);
}

/**
 * CUSTOM_CHALLENGE (RespondToAuthChallenge, AdminRespondToAuthChallenge): USERNAME, ANSWER
 * (+ SECRET_HASH) with the challenge's Session. The session is used up by the answer, whatever
 * its outcome (a failing trigger too); verify's verdict joins the session list and define
 * decides what follows: tokens, `Incorrect username or password.`, or a new challenge.
 */
export async function customChallenge(a: ChallengeAnswer): Promise<ChallengeResult> {
  const { ctx, pool, client } = a;
  const record = pendingChallenge(a, "CUSTOM_CHALLENGE");
  const state = JSON.parse(record.data.custom!) as FlowState;
  const user = record.data.unknown === "true" ? unknownNameAnswer(a, record, state) : challengeUser(a, record.username);
  const answer = a.responses.ANSWER;
  if (answer === undefined) throw errors.missingParameter("ANSWER");
  // An answer's DEVICE_KEY (both clients send it) is checked before the session is used up, so
  // Amplify's retry without it (retryOnResourceNotFoundException) answers the same challenge.
  const deviceKey = user ? (deviceForSignIn(pool, user, a.responses.DEVICE_KEY)?.key ?? state.deviceKey) : undefined;
  // Single use: taken before the (awaited) triggers, so a second answer with it is refused.
  ctx.store.deleteChallenge(record.session);
  if (user && !user.enabled) throw errors.userDisabled();

  const call = callFor(pool, client, user, record.username, a.clientMetadata);
  const privateParameters = JSON.parse(record.data.private!) as Record<string, string>;
  const correct = await verifyAuthChallengeResponse(ctx, call, privateParameters, answer);
  const session = [
    ...state.session,
    { challengeName: "CUSTOM_CHALLENGE", challengeResult: correct, challengeMetadata: record.data.metadata ?? null },
  ];
  const next = { session, shown: state.shown, deviceKey };
  return follow(ctx, client, call, next, await defineAuthChallenge(ctx, call, session));
}

/**
 * What follows a proven password in a CUSTOM_AUTH flow that started with SRP. A password that
 * must be changed, or MFA, is Cognito's own next step, after which the user signs in without
 * define being asked again (as observed: aws-amplify/amplify-js issue 3876, amazon-archives/
 * amazon-cognito-identity-js issue 341). Otherwise define sees `PASSWORD_VERIFIER: true`.
 */
export async function customAfterPassword(
  a: ChallengeAnswer,
  user: StoredUser,
  exchange: StoredChallenge,
): Promise<ChallengeResult> {
  const { ctx, pool, client } = a;
  if (user.status === "FORCE_CHANGE_PASSWORD")
    return afterPassword(ctx, pool, client, user, { clientMetadata: a.clientMetadata, custom: true });
  // The device the PASSWORD_VERIFIER answer named (checked there): MFA carries it as after
  // USER_SRP_AUTH, and a remembered device that skips MFA is proved after the custom challenges.
  const device = deviceForSignIn(pool, user, a.responses.DEVICE_KEY);
  if (!skipsMfa(pool, device)) {
    const mfa = await mfaChallenge(ctx, pool, client, user, device ? { deviceKey: device.key } : {});
    if (mfa) return mfa;
  }
  const state = JSON.parse(exchange.data.custom!) as FlowState;
  const call = callFor(pool, client, user, user.username, a.clientMetadata);
  const session = [
    ...state.session,
    { challengeName: "PASSWORD_VERIFIER", challengeResult: true, challengeMetadata: null },
  ];
  const next = { session, shown: state.shown, deviceKey: device?.key };
  return follow(ctx, client, call, next, await defineAuthChallenge(ctx, call, session));
}

/** Carries out what define decided (PASSWORD_VERIFIER is InitiateAuth's alone, handled there). */
async function follow(
  ctx: CustomAuthContext,
  client: StoredClient,
  call: CustomAuthCall,
  state: FlowState,
  decision: Awaited<ReturnType<typeof defineAuthChallenge>>,
): Promise<Wire<InitiateAuthResponse>> {
  if (decision.kind === "fail") throw errors.incorrectCredentials();
  if (decision.kind === "tokens") return issueTokens(ctx, client, call, state.deviceKey);
  const created = await createAuthChallenge(ctx, call, decision.name, state.session);
  const record: ChallengeRecord = {
    session: newOpaque(96),
    poolId: call.pool.id,
    clientId: client.client.ClientId!,
    username: call.userName,
    challenge: "CUSTOM_CHALLENGE",
    expiresAt: ctx.clock.now() + (client.client.AuthSessionValidity ?? 3) * 60_000,
    data: {
      custom: JSON.stringify(state),
      private: JSON.stringify(created.privateParameters),
      ...(created.metadata !== undefined ? { metadata: created.metadata } : {}),
      ...(call.user ? {} : { unknown: "true" }),
    },
  };
  ctx.store.putChallenge(record);
  return {
    ChallengeName: "CUSTOM_CHALLENGE",
    Session: record.session,
    ChallengeParameters: { ...created.publicParameters, USERNAME: state.shown },
  };
}

/**
 * Tokens for the user define let in, as they are now. No MFA follows: Cognito applies MFA only
 * after a password (amplify-js issue 12887), which an SRP start has already passed by then. A
 * name that matches no user gets no tokens whatever define says. A sign-in that named a device
 * proves it first (DEVICE_SRP_AUTH), as Cognito does "when your custom auth flow is complete"
 * (an Amplify maintainer, amplify-flutter issue 3541; both clients answer it there).
 */
async function issueTokens(
  ctx: CustomAuthContext,
  client: StoredClient,
  call: CustomAuthCall,
  deviceKey: string | undefined,
): Promise<Wire<InitiateAuthResponse>> {
  const { pool, user } = call;
  const current = user ? ctx.store.getUser(pool.id, user.username) : undefined;
  if (!current) throw user && !hidesUsers(client) ? errors.userNotFound() : errors.incorrectCredentials();
  if (!current.enabled) throw errors.userDisabled();
  if (deviceKey) return deviceSrpChallenge(ctx, pool, client, current, requireDevice(current, deviceKey));
  const end = { clientMetadata: call.clientMetadata, custom: true };
  return { ChallengeParameters: {}, AuthenticationResult: await finishSignIn(ctx, pool, client, current, end) };
}

/** The users a passwordless start refuses, with the errors their password sign-in would give. */
function refuseUnableToSignIn(user: StoredUser): void {
  if (!user.enabled) throw errors.userDisabled();
  if (user.status === "UNCONFIRMED") throw errors.userNotConfirmed();
  if (user.status === "RESET_REQUIRED") throw errors.passwordResetRequired();
}

/**
 * Checks an answer's USERNAME and SECRET_HASH for a challenge issued to a name that matches no
 * user: the name must be the one the challenge was for, or the one it showed.
 */
function unknownNameAnswer(a: ChallengeAnswer, record: StoredChallenge, state: FlowState): undefined {
  const typed = a.responses.USERNAME;
  if (typed === undefined || typed === "") throw errors.missingParameter("USERNAME");
  const names = [record.username, state.shown].map((n) => n.toLowerCase());
  if (!names.includes(typed.toLowerCase())) throw errors.invalidSession();
  checkSecretHash(a.client, a.responses.SECRET_HASH, [typed, record.username, state.shown]);
  return undefined;
}

function callFor(
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser | undefined,
  userName: string,
  clientMetadata?: Readonly<Record<string, string>>,
): CustomAuthCall {
  return {
    pool,
    clientId: client.client.ClientId!,
    user,
    userName,
    reportsUserNotFound: hidesUsers(client),
    clientMetadata,
  };
}
