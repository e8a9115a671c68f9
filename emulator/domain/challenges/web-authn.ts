// The answer to WEB_AUTHN (RespondToAuthChallenge and AdminRespondToAuthChallenge): CREDENTIAL,
// the passkey's AuthenticationResponseJSON. A right answer signs the user in with no MFA after
// it, as Cognito does after a passkey (a single factor that needs no second one); a wrong one
// counts towards the session's limit of wrong answers (docs/decisions/0021-passkeys.md).
import { CognitoError, errors } from "../../core/errors.js";
import type { StoredUser } from "../../store/types.js";
import { countWrongAnswer } from "../auth.js";
import { finishSignIn } from "../flows.js";
import { unchanged, updateUser } from "../users/update.js";
import { verifyPasskeyAnswer, WEB_AUTHN } from "../webauthn/sign-in.js";
import { type ChallengeAnswer, type ChallengeResult, challengeUser, pendingChallenge } from "./common.js";

/**
 * WEB_AUTHN: verifies the assertion against the session's challenge and the user's passkey,
 * then, as one unit of work on the user, checks the session was not used meanwhile and the user
 * is still enabled, stores the passkey's new signature counter and ends the session.
 */
export async function webAuthn(a: ChallengeAnswer): Promise<ChallengeResult> {
  const record = pendingChallenge(a, WEB_AUTHN);
  const user = challengeUser(a, record.username);
  const credential = a.responses.CREDENTIAL;
  if (credential === undefined || credential === "") throw errors.missingParameter("CREDENTIAL");
  const { ctx, pool, client } = a;
  const outcome = await updateUser<StoredUser | CognitoError>(
    ctx,
    pool,
    user,
    async (next) => {
      const verdict = await verifyPasskeyAnswer(record, next, credential);
      if (!ctx.store.getChallenge(record.session)) throw errors.sessionAlreadyUsed();
      if (!next.enabled) throw errors.userDisabled();
      if (verdict instanceof CognitoError) return unchanged(countWrongAnswer(ctx, record.session, verdict));
      const stored = next.webAuthnCredentials?.find((c) => c.credentialId === verdict.credentialId);
      if (stored) stored.counter = verdict.newCounter;
      ctx.store.deleteChallenge(record.session);
      return next;
    },
    {
      touch: false,
      gone: () => (ctx.store.getChallenge(record.session) ? errors.userNotFound() : errors.sessionAlreadyUsed()),
    },
  );
  if (outcome instanceof CognitoError) throw outcome;
  const end = { clientMetadata: a.clientMetadata };
  return { ChallengeParameters: {}, AuthenticationResult: await finishSignIn(ctx, pool, client, outcome, end) };
}
