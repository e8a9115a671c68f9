// Answers to the MFA challenges (RespondToAuthChallenge and AdminRespondToAuthChallenge):
// SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE and MFA_SETUP. A wrong answer leaves the
// session usable until it expires or has taken three wrong answers; a wrong code also counts
// towards the user's lockout (five, then Password attempts exceeded); a right one ends the session
// and signs the user in (docs/decisions/0014-brute-force-limits.md).
import { timingSafeEqual } from "node:crypto";
import { CognitoError, errors } from "../../core/errors.js";
import type { StoredChallenge, StoredUser, UserRecord } from "../../store/types.js";
import { countWrongAnswer, countWrongMfaCode, isLockedOut } from "../auth.js";
import { deviceSrpChallenge, requireDevice } from "../devices.js";
import { finishSignIn } from "../flows.js";
import { type MfaFactor, matchTotp, poolFactors, startFactorChallenge } from "../mfa.js";
import { unchanged, updateUser } from "../users/update.js";
import { type ChallengeAnswer, type ChallengeResult, challengeUser, pendingChallenge } from "./common.js";

function required(responses: Record<string, string>, name: string): string {
  const value = responses[name];
  if (value === undefined || value === "") throw errors.missingParameter(name);
  return value;
}

/** How `settle` judges an answer and what a right one changes. */
interface Judgement {
  /**
   * Looks at the answer against the current user record: its error when the answer is wrong,
   * undefined when it is right. May throw for a request that is not an answer at all.
   */
  check?: (user: UserRecord) => CognitoError | undefined;
  /** True for an MFA code: the user's lockout applies, and a wrong code counts towards it. */
  mfaCode?: boolean;
  /** Applied to the user record when the answer is right (written; not a modification Cognito shows). */
  update?: (user: UserRecord) => void;
}

/**
 * Settles an answer as one unit of work on the user (updateUser): checks that the session was not
 * used meanwhile, that the user is enabled and, for an MFA code, not locked out, then judges the
 * answer. A wrong one counts towards the session's limit (the third ends it) and, for an MFA code,
 * towards the user's lockout (written, then its error thrown). A right one applies `update`, ends
 * the session, clears the count of wrong MFA codes, and signs the user in (finishSignIn: the
 * post authentication and pre token generation triggers, then the tokens).
 */
async function settle(
  a: ChallengeAnswer,
  record: StoredChallenge,
  user: StoredUser,
  judgement: Judgement,
): Promise<ChallengeResult> {
  const { ctx, pool, client } = a;
  const outcome = await updateUser<StoredUser | CognitoError>(
    ctx,
    pool,
    user,
    (next) => {
      if (!ctx.store.getChallenge(record.session)) throw errors.sessionAlreadyUsed();
      if (!next.enabled) throw errors.userDisabled();
      const now = ctx.clock.now();
      if (judgement.mfaCode && isLockedOut(next, now)) throw errors.passwordAttemptsExceeded();
      const wrong = judgement.check?.(next);
      if (wrong) {
        countWrongAnswer(ctx, record.session, wrong);
        if (!judgement.mfaCode) return unchanged(wrong);
        // The count is written, and the error thrown after; the fifth wrong code locks the user.
        return countWrongMfaCode(next, now) ? errors.passwordAttemptsExceeded() : wrong;
      }
      judgement.update?.(next);
      ctx.store.deleteChallenge(record.session);
      const hadWrongCodes = next.failedMfaCodes !== undefined;
      delete next.failedMfaCodes;
      return judgement.update || hadWrongCodes ? next : unchanged(next);
    },
    {
      touch: false,
      // A used session is what a request finds first, whether or not the user is still there.
      gone: () => (ctx.store.getChallenge(record.session) ? errors.userNotFound() : errors.sessionAlreadyUsed()),
    },
  );
  if (outcome instanceof CognitoError) throw outcome;
  // A sign-in that named a device proves it after the code (device-srp.ts).
  const deviceKey = record.data.deviceKey;
  if (deviceKey) return deviceSrpChallenge(ctx, pool, client, outcome, requireDevice(outcome, deviceKey));
  const end = { clientMetadata: a.clientMetadata, mfa: true };
  return { ChallengeParameters: {}, AuthenticationResult: await finishSignIn(ctx, pool, client, outcome, end) };
}

/**
 * SOFTWARE_TOKEN_MFA: the code of the user's authenticator (RFC 6238, one step of skew). A code
 * whose time step was already accepted (by this challenge or VerifySoftwareToken) is refused, and
 * counts as a wrong answer.
 */
export async function softwareTokenMfa(a: ChallengeAnswer): Promise<ChallengeResult> {
  const record = pendingChallenge(a, "SOFTWARE_TOKEN_MFA");
  const user = challengeUser(a, record.username);
  const code = required(a.responses, "SOFTWARE_TOKEN_MFA_CODE");
  let step: number | undefined;
  return settle(a, record, user, {
    mfaCode: true,
    check: (next) => {
      const secret = next.mfa.totpSecret;
      if (!secret) throw errors.totpNotFound();
      step = matchTotp(a.ctx, secret, code);
      if (step === undefined) return errors.totpCodeMismatch();
      if (next.mfa.totpLastStep !== undefined && step <= next.mfa.totpLastStep) return errors.totpCodeReused();
      return undefined;
    },
    update: (next) => {
      next.mfa.totpLastStep = step;
    },
  });
}

function codeMatches(expected: string | undefined, given: string): boolean {
  if (expected === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * SMS_MFA and EMAIL_OTP (and SMS_OTP, USER_AUTH's first factor: domain/user-auth.ts): the code
 * sent for this session, answered in `field`.
 */
export function deliveredCode(factor: "SMS_MFA" | "EMAIL_OTP" | "SMS_OTP", field: string) {
  return async (a: ChallengeAnswer): Promise<ChallengeResult> => {
    const record = pendingChallenge(a, factor);
    const user = challengeUser(a, record.username);
    const code = required(a.responses, field);
    return settle(a, record, user, {
      mfaCode: true,
      check: () => (codeMatches(record.data.code, code) ? undefined : errors.mfaCodeMismatch()),
    });
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
  if (!choices.includes(answer as MfaFactor)) {
    throw countWrongAnswer(a.ctx, record.session, errors.mfaAnswerNotAChoice(choices));
  }
  // The factor's challenge (and its code's message) first: when the custom message trigger
  // fails, this session still stands and the user can answer again.
  const carried: Record<string, string> = record.data.deviceKey ? { deviceKey: record.data.deviceKey } : {};
  const next = await startFactorChallenge(
    a.ctx,
    a.pool,
    a.client,
    user,
    answer as MfaFactor,
    carried,
    a.clientMetadata,
  );
  a.ctx.store.deleteChallenge(record.session);
  return next;
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
    const error = poolFactors(a.pool).includes("SOFTWARE_TOKEN_MFA")
      ? errors.totpNotVerified()
      : errors.mfaSetupNeedsTotp();
    throw countWrongAnswer(a.ctx, record.session, error);
  }
  return settle(a, record, user, {
    update: (next) => {
      next.mfa.totp = true;
      if (!next.mfa.preferred) next.mfa.preferred = "SOFTWARE_TOKEN_MFA";
    },
  });
}
