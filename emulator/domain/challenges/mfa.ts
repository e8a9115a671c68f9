// Answers to the MFA challenges (RespondToAuthChallenge and AdminRespondToAuthChallenge):
// SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE and MFA_SETUP. A wrong code leaves the
// session usable until it expires, as Cognito does; a right one ends it and signs the user in.
import { timingSafeEqual } from "node:crypto";
import { CognitoError, errors } from "../../core/errors.js";
import type { ChallengeRecord, UserRecord } from "../../store/types.js";
import { signIn } from "../../tokens/issue.js";
import { type MfaFactor, matchTotp, poolFactors, startFactorChallenge } from "../mfa.js";
import { cloneUser } from "../users/records.js";
import { type ChallengeAnswer, type ChallengeResult, challengeUser, pendingChallenge } from "./common.js";

function required(responses: Record<string, string>, name: string): string {
  const value = responses[name];
  if (value === undefined || value === "") throw errors.invalidParameter(`Missing required parameter ${name}`);
  return value;
}

/**
 * Ends a challenge whose answer was right: under the user's lock, checks that the session was not
 * used meanwhile, applies `update` to the current user record (stored when it changes anything),
 * deletes the session, and signs the user in.
 */
async function complete(
  a: ChallengeAnswer,
  record: ChallengeRecord,
  user: UserRecord,
  update?: (next: UserRecord) => void,
): Promise<ChallengeResult> {
  const { ctx, pool, client } = a;
  const signedIn = await ctx.locks.run(`${pool.id}/${user.sub}`, () => {
    if (!ctx.store.getChallenge(record.session))
      throw errors.notAuthorized("Invalid session for the user, session can only be used once.");
    const current = ctx.store.getUserBySub(pool.id, user.sub);
    if (!current) throw errors.userNotFound();
    if (!current.enabled) throw errors.notAuthorized("User is disabled.");
    if (!update) {
      ctx.store.deleteChallenge(record.session);
      return current;
    }
    // `update` may still refuse the answer (a reused TOTP step); the session then stays usable.
    const next = cloneUser(current);
    update(next);
    ctx.store.deleteChallenge(record.session);
    ctx.store.putUser(next);
    return next;
  });
  return { ChallengeParameters: {}, AuthenticationResult: await signIn(ctx, pool, client, signedIn) };
}

/**
 * SOFTWARE_TOKEN_MFA: the code of the user's authenticator (RFC 6238, one step of skew). A code
 * whose time step was already accepted (by this challenge or VerifySoftwareToken) is refused.
 */
export async function softwareTokenMfa(a: ChallengeAnswer): Promise<ChallengeResult> {
  const record = pendingChallenge(a, "SOFTWARE_TOKEN_MFA");
  const user = challengeUser(a, record.username);
  const code = required(a.responses, "SOFTWARE_TOKEN_MFA_CODE");
  const secret = user.mfa.totpSecret;
  if (!secret)
    throw new CognitoError("SoftwareTokenMFANotFoundException", "Software Token MFA does not exist for the user.");
  const step = matchTotp(a.ctx, secret, code);
  if (step === undefined) throw new CognitoError("CodeMismatchException", "Invalid code received for user");
  return complete(a, record, user, (next) => {
    if (next.mfa.totpLastStep !== undefined && step <= next.mfa.totpLastStep) {
      throw new CognitoError("ExpiredCodeException", "Your software token has already been used once.");
    }
    next.mfa.totpLastStep = step;
  });
}

function codeMatches(expected: string | undefined, given: string): boolean {
  if (expected === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** SMS_MFA and EMAIL_OTP: the code sent for this session. */
function deliveredCode(factor: "SMS_MFA" | "EMAIL_OTP", field: string) {
  return async (a: ChallengeAnswer): Promise<ChallengeResult> => {
    const record = pendingChallenge(a, factor);
    const user = challengeUser(a, record.username);
    const code = required(a.responses, field);
    if (!codeMatches(record.data.code, code))
      throw new CognitoError("CodeMismatchException", "Invalid code or auth state for the user.");
    return complete(a, record, user);
  };
}

/** SMS_MFA: SMS_MFA_CODE. */
export const smsMfa = deliveredCode("SMS_MFA", "SMS_MFA_CODE");
/** EMAIL_OTP: EMAIL_OTP_CODE. */
export const emailOtp = deliveredCode("EMAIL_OTP", "EMAIL_OTP_CODE");

/** SELECT_MFA_TYPE: ANSWER names one of MFAS_CAN_CHOOSE; that factor's challenge follows. */
export async function selectMfaType(a: ChallengeAnswer): Promise<ChallengeResult> {
  const record = pendingChallenge(a, "SELECT_MFA_TYPE");
  const user = challengeUser(a, record.username);
  const raw = required(a.responses, "ANSWER");
  // The API reference names email MFA EMAIL_MFA here; the challenge itself is EMAIL_OTP.
  const answer = raw === "EMAIL_MFA" ? "EMAIL_OTP" : raw;
  const choices = JSON.parse(record.data.choices ?? "[]") as MfaFactor[];
  if (!choices.includes(answer as MfaFactor))
    throw errors.invalidParameter(`ANSWER must be one of ${choices.join(", ")}.`);
  a.ctx.store.deleteChallenge(record.session);
  return startFactorChallenge(a.ctx, a.pool, a.client, user, answer as MfaFactor);
}

/**
 * MFA_SETUP, answered with the Session that VerifySoftwareToken returned: the verified
 * authenticator becomes the user's TOTP factor and the user is signed in. A session that has
 * not been through VerifySoftwareToken is refused.
 */
export async function mfaSetup(a: ChallengeAnswer): Promise<ChallengeResult> {
  const record = pendingChallenge(a, "MFA_SETUP");
  const user = challengeUser(a, record.username);
  if (record.data.stage !== "verified") {
    if (!poolFactors(a.pool).includes("SOFTWARE_TOKEN_MFA"))
      throw errors.invalidParameter(
        "MFA_SETUP can only be completed by setting up a software token (AssociateSoftwareToken, VerifySoftwareToken).",
      );
    throw errors.invalidParameter(
      "Software token MFA has not been verified for the user: call AssociateSoftwareToken and VerifySoftwareToken with this Session first.",
    );
  }
  return complete(a, record, user, (next) => {
    next.mfa.totp = true;
    if (!next.mfa.preferred) next.mfa.preferred = "SOFTWARE_TOKEN_MFA";
  });
}
