// Choice-based sign-in, AuthFlow USER_AUTH (InitiateAuth, AdminInitiateAuth): the pool's sign-in
// policy (Policies.SignInPolicy.AllowedFirstAuthFactors), which first factors a user may use,
// and how each one's challenge opens. The answers are in challenges/user-auth.ts. Sources and
// guesses: docs/decisions/0020-user-auth.md; the user's guide: docs/passwordless.md.

import { createHash } from "node:crypto";
import type { InitiateAuthResponse, UserPoolType } from "@aws-sdk/client-cognito-identity-provider";
import type { Services } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { DeepReadonly, StoredClient, StoredPool, StoredUser } from "../store/types.js";
import { checkSecretHash, hidesUsers, isLockedOut, openChallenge } from "./auth.js";
import { passwordVerifierChallenge, srpFlow, srpParameters } from "./challenges/srp.js";
import { finishSignIn, passwordFlow, type SignInContext } from "./flows.js";
import { startFactorChallenge } from "./mfa.js";
import { preAuthentication } from "./triggers/authentication.js";
import { maskDestination } from "./users/codes.js";
import { findUser } from "./users/lookup.js";
import { attr } from "./users/records.js";
import { passkeyIsMfa } from "./webauthn/relying-party.js";
import { canSignInWithPasskey, startWebAuthnSignIn } from "./webauthn/sign-in.js";

/** A first factor a pool's sign-in policy may allow (AuthFactorType). */
export type FirstFactor = "PASSWORD" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN";

/** The challenges USER_AUTH offers: PASSWORD comes as two, sent in clear or proved by SRP. */
export type FirstChallenge = "PASSWORD" | "PASSWORD_SRP" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN";

const FIRST_CHALLENGES: readonly FirstChallenge[] = ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];

/** The name of the choice USER_AUTH answers when no preferred challenge is given or possible. */
export const SELECT_CHALLENGE = "SELECT_CHALLENGE";

/** What USER_AUTH uses: signing in (SignInContext) and the user's lock (the password's proof). */
export type UserAuthContext = SignInContext & Pick<Services, "locks">;

type Response = Wire<InitiateAuthResponse>;

/**
 * The first factors the pool allows: its sign-in policy's, PASSWORD alone without one (as a pool
 * created before choice-based sign-in, or on the Lite plan, which has only passwords).
 */
export function allowedFirstFactors(pool: StoredPool): readonly FirstFactor[] {
  if (pool.pool.UserPoolTier === "LITE") return ["PASSWORD"];
  return (
    (pool.pool.Policies?.SignInPolicy?.AllowedFirstAuthFactors as readonly FirstFactor[] | undefined) ?? ["PASSWORD"]
  );
}

/**
 * Checks a pool's sign-in policy as CreateUserPool and UpdateUserPool take it, against the rest of
 * the settings being written: PASSWORD is always among the factors; the Lite plan allows no
 * other (FeatureUnavailableInTierException); EMAIL_OTP needs email through Amazon SES
 * (EmailSendingAccount DEVELOPER), as email MFA does; SMS_OTP needs an SmsConfiguration.
 * WEB_AUTHN's relying party is checked where passkeys are used (domain/webauthn/).
 */
export function checkSignInPolicy(pool: DeepReadonly<Wire<UserPoolType>>): void {
  const factors = pool.Policies?.SignInPolicy?.AllowedFirstAuthFactors;
  if (factors === undefined) return;
  if (!factors.includes("PASSWORD")) throw errors.signInPolicyNeedsPassword();
  const others = factors.filter((f) => f !== "PASSWORD");
  if (pool.UserPoolTier === "LITE" && others.length > 0) {
    throw errors.featureUnavailableInTier("LITE", `AllowedFirstAuthFactors ${others.join(", ")}`);
  }
  if (factors.includes("EMAIL_OTP") && pool.EmailConfiguration?.EmailSendingAccount !== "DEVELOPER") {
    throw errors.emailOtpNeedsSes();
  }
  if (factors.includes("SMS_OTP") && !pool.SmsConfiguration?.SnsCallerArn) throw errors.smsOtpNeedsSmsConfiguration();
}

/** True when the pool lets users sign up without a password: a one-time code can sign them in. */
export function allowsPasswordlessSignUp(pool: StoredPool): boolean {
  const factors = allowedFirstFactors(pool);
  return factors.includes("EMAIL_OTP") || factors.includes("SMS_OTP");
}

/**
 * True when the user signs in with a second factor after a password: MFA is required in the pool,
 * or the user has turned a factor on. Cognito offers such users no one-time code as a first
 * factor ("MFA and passwordless cannot be used together").
 */
function usesMfa(pool: StoredPool, user: StoredUser): boolean {
  return requiresMfa(pool) || user.mfa.sms || user.mfa.totp || user.mfa.email;
}

/**
 * True when the pool requires MFA of everyone (MfaConfiguration ON). No first factor but the
 * password is offered then: not a one-time code, and not a passkey either, which
 * WebAuthnConfiguration.FactorConfiguration SINGLE_FACTOR (the default) makes a single factor;
 * "passkey sign-in is available when MFA is required" only with passkey MFA: the pool's
 * MULTI_FACTOR_WITH_USER_VERIFICATION and the user's WebAuthnMfaSettings (passkeyIsMfa;
 * docs/decisions/0021-passkeys.md).
 */
function requiresMfa(pool: StoredPool): boolean {
  return pool.mfa.MfaConfiguration === "ON";
}

/**
 * One first factor other than the password: whether a user may use it, and how its challenge
 * opens (the code's message, or the passkey's request options). WEB_AUTHN: see domain/webauthn
 * (the passkeys' helper plugs in there; sign-in.ts).
 */
interface FirstFactorBranch {
  available(pool: StoredPool, user: StoredUser): boolean;
  start(
    ctx: UserAuthContext,
    pool: StoredPool,
    client: StoredClient,
    user: StoredUser,
    clientMetadata?: Readonly<Record<string, string>>,
  ): Promise<Response>;
}

/** The first factors beside PASSWORD, in the order AvailableChallenges lists them. */
const FIRST_FACTOR_BRANCHES: Readonly<Record<"WEB_AUTHN" | "EMAIL_OTP" | "SMS_OTP", FirstFactorBranch>> = {
  // WEB_AUTHN: see domain/webauthn (a passkey registered for the pool's relying party), in a
  // pool that does not require MFA, or for a user whose passkey satisfies it.
  WEB_AUTHN: {
    available: (pool, user) => (!requiresMfa(pool) || passkeyIsMfa(pool, user)) && canSignInWithPasskey(pool, user),
    start: async (ctx, pool, client, user) => startWebAuthnSignIn(ctx, pool, client, user),
  },
  // A code to a verified address, to users who sign in without MFA.
  EMAIL_OTP: {
    available: (pool, user) => attr(user, "email_verified") === "true" && !!attr(user, "email") && !usesMfa(pool, user),
    start: (ctx, pool, client, user, clientMetadata) =>
      startFactorChallenge(ctx, pool, client, user, "EMAIL_OTP", {}, clientMetadata),
  },
  SMS_OTP: {
    available: (pool, user) =>
      attr(user, "phone_number_verified") === "true" && !!attr(user, "phone_number") && !usesMfa(pool, user),
    start: (ctx, pool, client, user, clientMetadata) =>
      startFactorChallenge(ctx, pool, client, user, "SMS_OTP", {}, clientMetadata),
  },
};

/**
 * The challenges this user may choose from, as SELECT_CHALLENGE's AvailableChallenges lists them:
 * PASSWORD and PASSWORD_SRP for a user with a password, then each other factor the pool allows
 * and the user can use. For a name that matches no user (a client that hides users), what the
 * pool allows, passkeys aside (no passkey can answer for nobody), and no code where MFA is required.
 */
function availableChallenges(pool: StoredPool, user: StoredUser | undefined): FirstChallenge[] {
  const allowed = allowedFirstFactors(pool);
  const out: FirstChallenge[] = [];
  if (!user || user.password) out.push("PASSWORD", "PASSWORD_SRP");
  for (const name of ["WEB_AUTHN", "EMAIL_OTP", "SMS_OTP"] as const) {
    if (!allowed.includes(name)) continue;
    // A name that matches no user is offered what a user without MFA settings would be: no code
    // where the pool requires MFA, as a real user would get none.
    if (user ? FIRST_FACTOR_BRANCHES[name].available(pool, user) : name !== "WEB_AUTHN" && !requiresMfa(pool)) {
      out.push(name);
    }
  }
  return out;
}

/**
 * GetUserAuthFactors' ConfiguredUserAuthFactors: the first factors USER_AUTH offers this user
 * (AvailableChallenges, with PASSWORD and PASSWORD_SRP as the one factor PASSWORD).
 */
export function configuredAuthFactors(pool: StoredPool, user: StoredUser): FirstFactor[] {
  return availableChallenges(pool, user).filter((c): c is FirstFactor => c !== "PASSWORD_SRP");
}

/**
 * Refuses a user who cannot be sent a code or asked for a passkey: disabled, locked out by wrong
 * codes or passwords, unconfirmed, or due to reset their password. (A password's proof makes the
 * same checks in verifySignIn.)
 */
function refuseUnableToSignIn(ctx: Pick<Services, "clock">, user: StoredUser): void {
  if (!user.enabled) throw errors.userDisabled();
  if (isLockedOut(user, ctx.clock.now())) throw errors.passwordAttemptsExceeded();
  if (user.status === "UNCONFIRMED") throw errors.userNotConfirmed();
  if (user.status === "RESET_REQUIRED") throw errors.passwordResetRequired();
}

/**
 * A believable masked destination for a code "sent" to a name that matches no user: the name
 * itself when it is an address of that kind, else one derived from it, the same on every call.
 */
function simulatedDestination(pool: StoredPool, name: string, medium: "EMAIL" | "SMS"): string {
  if (medium === "EMAIL" && name.includes("@")) return maskDestination("EMAIL", name);
  if (medium === "SMS" && /^\+\d{5,}$/.test(name)) return maskDestination("SMS", name);
  const digest = createHash("sha256").update(`${pool.id}/${name}/${medium}`).digest();
  if (medium === "SMS") return `+*******${[...digest.subarray(0, 4)].map((b) => String(b % 10)).join("")}`;
  const letters = "abcdefghijklmnopqrstuvwxyz";
  return `${letters[digest[0]! % 26]}***@${letters[digest[1]! % 26]}***`;
}

/**
 * The challenge a one-time code opens for a name that matches no user, when the client hides
 * users: shaped as a real one, with no message sent; no code answers it (challenges/user-auth.ts).
 */
function simulatedCodeChallenge(
  ctx: Pick<Services, "store" | "clock">,
  pool: StoredPool,
  client: StoredClient,
  typed: string,
  name: "EMAIL_OTP" | "SMS_OTP",
): Response {
  const medium = name === "EMAIL_OTP" ? "EMAIL" : "SMS";
  const ch = openChallenge(ctx, pool, client, { username: typed }, name, { simulated: "true" });
  return {
    ChallengeName: name,
    Session: ch.session,
    ChallengeParameters: {
      CODE_DELIVERY_DELIVERY_MEDIUM: medium,
      CODE_DELIVERY_DESTINATION: simulatedDestination(pool, typed, medium),
      USER_ID_FOR_SRP: typed,
    },
  };
}

/** SELECT_CHALLENGE: the choices offered, kept in the session for the answer to be checked against. */
function selectChallenge(
  ctx: Pick<Services, "store" | "clock">,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser | undefined,
  typed: string,
): Response {
  const choices = availableChallenges(pool, user);
  const ch = openChallenge(ctx, pool, client, { username: user?.username ?? typed }, SELECT_CHALLENGE, {
    choices: JSON.stringify(choices),
    ...(user ? {} : { simulated: "true" }),
  });
  return {
    ChallengeName: SELECT_CHALLENGE,
    Session: ch.session,
    ChallengeParameters: {},
    AvailableChallenges: choices,
  };
}

/**
 * Opens the challenge of a first factor other than the password for `user` (or, undefined, a
 * name that matches no user): the caller checked that it is available.
 */
export async function startFirstFactor(
  ctx: UserAuthContext,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser | undefined,
  typed: string,
  name: "WEB_AUTHN" | "EMAIL_OTP" | "SMS_OTP",
  clientMetadata?: Readonly<Record<string, string>>,
): Promise<Response> {
  if (!user) {
    if (name === "WEB_AUTHN") throw errors.webAuthnAssertionFailed();
    return simulatedCodeChallenge(ctx, pool, client, typed, name);
  }
  refuseUnableToSignIn(ctx, user);
  return FIRST_FACTOR_BRANCHES[name].start(ctx, pool, client, user, clientMetadata);
}

/** Challenge-record names of the sessions SignUp and ConfirmSignUp hand out (never a ChallengeNameType). */
const SIGN_UP_SESSION = "SIGN_UP";
const CONFIRMED_SESSION = "SIGN_UP_CONFIRMED";

/**
 * How long SignUp's Session waits for ConfirmSignUp: as long as the sign-up code it goes with
 * (guess: Cognito does not say; docs/decisions/0020-user-auth.md).
 */
const SIGN_UP_SESSION_MS = 24 * 3_600_000;

function allowsUserAuth(client: StoredClient): boolean {
  return ((client.client.ExplicitAuthFlows ?? []) as string[]).includes("ALLOW_USER_AUTH");
}

/**
 * The Session SignUp answers, for a client that allows USER_AUTH: for a user confirmed at sign-up
 * (pre sign-up trigger), one InitiateAuth USER_AUTH signs them in with right away; otherwise one
 * that ConfirmSignUp may be given (and uses up). Undefined for other clients.
 */
export function signUpSession(
  ctx: Pick<Services, "store" | "clock">,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
): string | undefined {
  if (!allowsUserAuth(client)) return undefined;
  if (user.status === "CONFIRMED") return openChallenge(ctx, pool, client, user, CONFIRMED_SESSION).session;
  const record = openChallenge(ctx, pool, client, user, SIGN_UP_SESSION);
  ctx.store.putChallenge({ ...record, expiresAt: ctx.clock.now() + SIGN_UP_SESSION_MS });
  return record.session;
}

/**
 * ConfirmSignUp's Session, for a client that allows USER_AUTH: the session InitiateAuth USER_AUTH
 * signs the now confirmed user in with (valid for the client's AuthSessionValidity). It does not
 * need SignUp's: Amplify's confirmSignUp sends none and reads this one for its autoSignIn. SignUp's,
 * when given for this user, is used up here.
 */
export function confirmedSignUpSession(
  ctx: Pick<Services, "store" | "clock">,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  given: string | undefined,
): string | undefined {
  if (!allowsUserAuth(client)) return undefined;
  const record = given ? ctx.store.getChallenge(given) : undefined;
  if (record?.challenge === SIGN_UP_SESSION && record.poolId === pool.id && record.username === user.username) {
    ctx.store.deleteChallenge(record.session);
  }
  return openChallenge(ctx, pool, client, user, CONFIRMED_SESSION).session;
}

/**
 * InitiateAuth USER_AUTH with the Session of a confirmed sign-up: the code that confirmed it is
 * the first factor, so the user is signed in without another (once, within the session's
 * validity, for the user it was issued to). Anything else is `Invalid session for the user.`
 */
async function signInAfterSignUp(
  ctx: UserAuthContext,
  pool: StoredPool,
  client: StoredClient,
  typed: string,
  session: string,
  clientMetadata?: Readonly<Record<string, string>>,
): Promise<Response> {
  const record = ctx.store.getChallenge(session);
  if (!record || record.challenge !== CONFIRMED_SESSION || record.poolId !== pool.id) throw errors.invalidSession();
  if (record.clientId !== client.client.ClientId) throw errors.invalidSession();
  if (ctx.clock.now() > record.expiresAt) {
    ctx.store.deleteChallenge(record.session);
    throw errors.sessionExpired();
  }
  const user = findUser(ctx, pool, typed);
  if (!user || user.username !== record.username) throw errors.invalidSession();
  await preAuthentication(ctx, pool, client, typed, clientMetadata);
  refuseUnableToSignIn(ctx, user);
  // Used once: a concurrent call may have taken it while the trigger ran.
  if (!ctx.store.getChallenge(record.session)) throw errors.sessionAlreadyUsed();
  ctx.store.deleteChallenge(record.session);
  return { ChallengeParameters: {}, AuthenticationResult: await finishSignIn(ctx, pool, client, user) };
}

/**
 * USER_AUTH (the caller checked ALLOW_USER_AUTH): USERNAME (+ SECRET_HASH), and optionally
 * PREFERRED_CHALLENGE. PASSWORD (with PASSWORD) and PASSWORD_SRP (with SRP_A) go as
 * USER_PASSWORD_AUTH and USER_SRP_AUTH do, MFA and all. EMAIL_OTP, SMS_OTP and WEB_AUTHN open
 * their challenge when the pool allows the factor and the user can use it; otherwise, and with
 * no preference, SELECT_CHALLENGE lists what the user may choose. An unknown name is
 * UserNotFoundException, or with PreventUserExistenceErrors ENABLED challenges that nothing
 * answers. The pre authentication trigger runs first, with the request's ClientMetadata. With the
 * `session` of a confirmed sign-up (ConfirmSignUp's), the user is signed in at once.
 */
export async function userAuthFlow(
  ctx: UserAuthContext,
  pool: StoredPool,
  client: StoredClient,
  params: Record<string, string>,
  clientMetadata?: Readonly<Record<string, string>>,
  session?: string,
): Promise<Response> {
  const typed = params.USERNAME;
  if (!typed) throw errors.missingParameter("USERNAME");
  if (session) {
    checkSecretHash(client, params.SECRET_HASH, [typed]);
    return signInAfterSignUp(ctx, pool, client, typed, session, clientMetadata);
  }
  const preferred = params.PREFERRED_CHALLENGE || undefined;
  if (preferred !== undefined && !FIRST_CHALLENGES.includes(preferred as FirstChallenge)) {
    throw errors.preferredChallengeInvalid(preferred);
  }
  if (preferred === "PASSWORD") return passwordFlow(ctx, pool, client, params, clientMetadata);
  if (preferred === "PASSWORD_SRP") return srpFlow(ctx, pool, client, params, clientMetadata);
  checkSecretHash(client, params.SECRET_HASH, [typed]);
  await preAuthentication(ctx, pool, client, typed, clientMetadata);
  const user = findUser(ctx, pool, typed);
  if (!user && !hidesUsers(client)) throw errors.userNotFound();
  const choices = availableChallenges(pool, user);
  if (preferred && choices.includes(preferred as FirstChallenge)) {
    const name = preferred as "WEB_AUTHN" | "EMAIL_OTP" | "SMS_OTP";
    return startFirstFactor(ctx, pool, client, user, typed, name, clientMetadata);
  }
  // Nothing to choose from (a passwordless user without a verified address): the reason the user
  // cannot sign in, rather than an empty choice.
  if (user && choices.length === 0) {
    refuseUnableToSignIn(ctx, user);
    throw errors.incorrectCredentials();
  }
  return selectChallenge(ctx, pool, client, user, typed);
}

/**
 * PASSWORD_SRP chosen in a SELECT_CHALLENGE answer (with SRP_A): the SRP exchange of
 * USER_SRP_AUTH, whose PASSWORD_VERIFIER answer ends as that flow's does.
 */
export function passwordSrpChallenge(
  ctx: UserAuthContext,
  pool: StoredPool,
  client: StoredClient,
  responses: Record<string, string>,
  user: StoredUser | undefined,
): Promise<Response> {
  const { username, srpA } = srpParameters(client, responses);
  return passwordVerifierChallenge(ctx, pool, client, username, srpA, user);
}
