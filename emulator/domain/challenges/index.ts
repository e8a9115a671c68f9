// Answers to auth challenges, shared by RespondToAuthChallenge and AdminRespondToAuthChallenge.
// This index alone holds the registry: one handler per challenge name, each in its own file
// (new-password.ts, srp.ts, mfa.ts, custom-challenge.ts), which never import this one.
import type { ChallengeNameType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../../core/errors.js";
import type { ChallengeAnswer, ChallengeHandler, ChallengeResult } from "./common.js";
import { customAfterPassword, customChallenge } from "./custom-challenge.js";
import { emailOtp, mfaSetup, selectMfaType, smsMfa, softwareTokenMfa } from "./mfa.js";
import { newPasswordRequired } from "./new-password.js";
import { passwordVerifier } from "./srp.js";

const handlers: Partial<Record<ChallengeNameType, ChallengeHandler>> = {
  NEW_PASSWORD_REQUIRED: newPasswordRequired,
  // A CUSTOM_AUTH flow that started with SRP goes on with its custom challenges after the proof.
  PASSWORD_VERIFIER: (a) => passwordVerifier(a, customAfterPassword),
  CUSTOM_CHALLENGE: customChallenge,
  SOFTWARE_TOKEN_MFA: softwareTokenMfa,
  SMS_MFA: smsMfa,
  EMAIL_OTP: emailOtp,
  SELECT_MFA_TYPE: selectMfaType,
  MFA_SETUP: mfaSetup,
};

/** Dispatches an answer to its challenge's handler. */
export function respondToChallenge(name: ChallengeNameType, answer: ChallengeAnswer): Promise<ChallengeResult> {
  const handler = handlers[name];
  if (!handler) throw errors.challengeNotImplemented(name);
  return handler(answer);
}
