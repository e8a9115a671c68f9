// Answers to USER_AUTH's challenges (RespondToAuthChallenge and AdminRespondToAuthChallenge):
// SELECT_CHALLENGE with ANSWER (PASSWORD with PASSWORD, PASSWORD_SRP with SRP_A, or EMAIL_OTP,
// SMS_OTP, WEB_AUTHN, whose challenge follows), PASSWORD and PASSWORD_SRP named directly with a
// SELECT_CHALLENGE session, and the one-time codes of sessions opened for names that match no
// user. A known user's EMAIL_OTP and SMS_OTP codes are checked as MFA codes are (mfa.ts): the
// same attempt limits and lockout, and no MFA after them. docs/decisions/0020-user-auth.md.
import { CognitoError, errors } from "../../core/errors.js";
import type { StoredChallenge, StoredUser } from "../../store/types.js";
import { checkPasswordSignIn, checkSecretHash, countWrongAnswer } from "../auth.js";
import { deviceForSignIn } from "../devices.js";
import { afterPassword } from "../flows.js";
import { type FirstChallenge, passwordSrpChallenge, SELECT_CHALLENGE, startFirstFactor } from "../user-auth.js";
import {
  type ChallengeAnswer,
  type ChallengeHandler,
  type ChallengeResult,
  challengeUser,
  pendingChallenge,
} from "./common.js";

function required(responses: Record<string, string>, name: string): string {
  const value = responses[name];
  if (value === undefined || value === "") throw errors.missingParameter(name);
  return value;
}

/**
 * Checks an answer's USERNAME and SECRET_HASH for a session opened for a name that matches no
 * user: the name must be that one.
 */
function unknownNameAnswer(a: ChallengeAnswer, record: StoredChallenge): string {
  const typed = required(a.responses, "USERNAME");
  if (typed.toLowerCase() !== record.username.toLowerCase()) throw errors.invalidSession();
  checkSecretHash(a.client, a.responses.SECRET_HASH, [typed]);
  return typed;
}

/**
 * SELECT_CHALLENGE: ANSWER must be one of the AvailableChallenges offered (else a wrong answer,
 * counted towards the session's limit). PASSWORD proves the password in this same call (a wrong
 * one counts too, and towards the user's lockout), then MFA where the pool asks for it;
 * PASSWORD_SRP opens the SRP exchange (PASSWORD_VERIFIER); the others open their challenge and
 * send the code. `implied` is the ANSWER of a PASSWORD or PASSWORD_SRP answer named as such.
 */
export async function selectChallengeAnswer(
  a: ChallengeAnswer,
  implied?: "PASSWORD" | "PASSWORD_SRP",
): Promise<ChallengeResult> {
  const { ctx, pool, client } = a;
  const record = pendingChallenge(a, SELECT_CHALLENGE);
  const unknown = record.data.simulated === "true";
  let user: StoredUser | undefined;
  let typed: string;
  if (unknown) typed = unknownNameAnswer(a, record);
  else {
    user = challengeUser(a, record.username);
    typed = a.responses.USERNAME!;
  }
  const answer = implied ?? required(a.responses, "ANSWER");
  const choices = JSON.parse(record.data.choices ?? "[]") as FirstChallenge[];
  if (!choices.includes(answer as FirstChallenge)) {
    throw countWrongAnswer(ctx, record.session, errors.challengeNotAvailable(answer, choices));
  }
  if (answer === "PASSWORD") {
    const password = required(a.responses, "PASSWORD");
    let proved: StoredUser;
    try {
      proved = await checkPasswordSignIn(ctx, pool, client, typed, password, a.clientMetadata);
    } catch (e) {
      throw e instanceof CognitoError ? countWrongAnswer(ctx, record.session, e) : e;
    }
    // A concurrent answer may have used the session while the password was checked.
    if (!ctx.store.getChallenge(record.session)) throw errors.sessionAlreadyUsed();
    // A DEVICE_KEY is checked once the password is proved, as USER_PASSWORD_AUTH checks it.
    const device = deviceForSignIn(pool, proved, a.responses.DEVICE_KEY);
    ctx.store.deleteChallenge(record.session);
    return afterPassword(ctx, pool, client, proved, { clientMetadata: a.clientMetadata, password }, device);
  }
  if (answer === "PASSWORD_SRP") {
    const next = await passwordSrpChallenge(ctx, pool, client, a.responses, user);
    ctx.store.deleteChallenge(record.session);
    return next;
  }
  // The factor's challenge (and its code's message) first: when the custom message trigger
  // fails, this session still stands and the user can choose again.
  const name = answer as "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN";
  const next = await startFirstFactor(ctx, pool, client, user, typed, name, a.clientMetadata);
  ctx.store.deleteChallenge(record.session);
  return next;
}

/**
 * EMAIL_OTP and SMS_OTP: a session opened for a name that matches no user (a client that hides
 * users) takes no code: each answer is the wrong code's error, counted towards the session's
 * limit, as a real user's wrong code is. Every other session goes to `known`.
 */
export function firstFactorCode(
  name: "EMAIL_OTP" | "SMS_OTP",
  field: string,
  known: ChallengeHandler,
): ChallengeHandler {
  return async (a) => {
    const peek = a.session ? a.ctx.store.getChallenge(a.session) : undefined;
    if (peek?.challenge !== name || peek.data.simulated !== "true") return known(a);
    const record = pendingChallenge(a, name);
    unknownNameAnswer(a, record);
    required(a.responses, field);
    throw countWrongAnswer(a.ctx, record.session, errors.mfaCodeMismatch());
  };
}
