// Answers to auth challenges, shared by RespondToAuthChallenge and AdminRespondToAuthChallenge.
// This index alone holds the registry: one handler per challenge name, each in its own file
// (new-password.ts, srp.ts, mfa.ts, custom-challenge.ts, web-authn.ts, user-auth.ts), which never
// import this one.
import type { ChallengeNameType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../../core/errors.js";
import type { ChallengeAnswer, ChallengeHandler, ChallengeResult } from "./common.js";
import { customAfterPassword, customChallenge } from "./custom-challenge.js";
import { devicePasswordVerifier } from "./device-password-verifier.js";
import { deviceSrpAuth } from "./device-srp.js";
import { deliveredCode, emailOtp, mfaSetup, selectMfaType, smsMfa, softwareTokenMfa } from "./mfa.js";
import { newPasswordRequired } from "./new-password.js";
import { passwordVerifier } from "./srp.js";
import { firstFactorCode, selectChallengeAnswer } from "./user-auth.js";
import { webAuthn } from "./web-authn.js";

const handlers: Partial<Record<ChallengeNameType, ChallengeHandler>> = {
  NEW_PASSWORD_REQUIRED: newPasswordRequired,
  // A CUSTOM_AUTH flow that started with SRP goes on with its custom challenges after the proof.
  PASSWORD_VERIFIER: (a) => passwordVerifier(a, customAfterPassword),
  CUSTOM_CHALLENGE: customChallenge,
  SOFTWARE_TOKEN_MFA: softwareTokenMfa,
  SMS_MFA: smsMfa,
  // Email MFA, and the emailed code of USER_AUTH (checked alike; user-auth.ts takes the
  // sessions opened for names that match no user).
  EMAIL_OTP: firstFactorCode("EMAIL_OTP", "EMAIL_OTP_CODE", emailOtp),
  SMS_OTP: firstFactorCode("SMS_OTP", "SMS_OTP_CODE", deliveredCode("SMS_OTP", "SMS_OTP_CODE")),
  // USER_AUTH's choice of first factor; PASSWORD and PASSWORD_SRP may be named directly with its session.
  SELECT_CHALLENGE: (a) => selectChallengeAnswer(a),
  PASSWORD: (a) => selectChallengeAnswer(a, "PASSWORD"),
  PASSWORD_SRP: (a) => selectChallengeAnswer(a, "PASSWORD_SRP"),
  SELECT_MFA_TYPE: selectMfaType,
  MFA_SETUP: mfaSetup,
  // A remembered device's proof after the password (domain/devices.ts).
  DEVICE_SRP_AUTH: deviceSrpAuth,
  DEVICE_PASSWORD_VERIFIER: devicePasswordVerifier,
  // A passkey, the WEB_AUTHN first factor of USER_AUTH (domain/webauthn/).
  WEB_AUTHN: webAuthn,
};

/**
 * The challenges RespondToAuthChallenge and AdminRespondToAuthChallenge answer: the registry's
 * names (docs/coverage.md lists them beside the model's ChallengeNameType).
 */
export function answeredChallenges(): ReadonlySet<ChallengeNameType> {
  return new Set(Object.keys(handlers) as ChallengeNameType[]);
}

/** Dispatches an answer to its challenge's handler. */
export function respondToChallenge(name: ChallengeNameType, answer: ChallengeAnswer): Promise<ChallengeResult> {
  const handler = handlers[name];
  if (!handler) throw errors.challengeNotImplemented(name);
  return handler(answer);
}
