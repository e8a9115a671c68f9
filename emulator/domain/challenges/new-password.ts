import { CognitoError, errors } from "../../core/errors.js";
import type { StoredUser } from "../../store/types.js";
import { countWrongAnswer } from "../auth.js";
import { afterPassword } from "../flows.js";
import {
  checkClientWriteAttributes,
  checkRequiredAttributes,
  checkWritableAttributes,
  normaliseBooleans,
} from "../users/attributes.js";
import { currentUser } from "../users/lookup.js";
import { checkPasswordPolicy, passwordRecord } from "../users/passwords.js";
import { attr, withAttributes } from "../users/records.js";
import { updateUser } from "../users/update.js";
import { type ChallengeAnswer, type ChallengeResult, challengeUser, pendingChallenge } from "./common.js";

const USER_ATTRIBUTE_PREFIX = "userAttributes.";

/**
 * NEW_PASSWORD_REQUIRED: an admin-created user sets a permanent password (and any required
 * attributes the pool lacks for them) with the temporary password's session.
 */
export async function newPasswordRequired(a: ChallengeAnswer): Promise<ChallengeResult> {
  const { ctx, pool, client, responses } = a;
  const record = pendingChallenge(a, "NEW_PASSWORD_REQUIRED");
  const found = challengeUser(a, record.username);
  const password = responses.NEW_PASSWORD;
  if (password === undefined || password === "") throw errors.missingParameter("NEW_PASSWORD");

  const updates: Record<string, string> = {};
  for (const [key, value] of Object.entries(responses)) {
    if (key.startsWith(USER_ATTRIBUTE_PREFIX)) updates[key.slice(USER_ATTRIBUTE_PREFIX.length)] = value;
  }
  // Boolean attributes ("True") are kept in lower case, as every other write keeps them.
  const written = normaliseBooleans(
    pool,
    Object.entries(updates).map(([Name, Value]) => ({ Name, Value })),
  );
  for (const w of written) updates[w.Name] = w.Value;
  // An answer refused for its content may be corrected and sent again, up to the session's
  // limit of wrong answers (countWrongAnswer).
  const wrongAnswer = (e: unknown) => (e instanceof CognitoError ? countWrongAnswer(ctx, record.session, e) : e);
  try {
    if (!a.admin) checkClientWriteAttributes(client, Object.keys(updates));
    // An attribute the user does not have yet may be set even if immutable: that is how an
    // immutable required attribute gets its first value.
    const settingFirstValue = written.every((w) => attr(found, w.Name) === undefined);
    checkWritableAttributes(pool, written, { creating: settingFirstValue, admin: a.admin });
    checkPasswordPolicy(pool, password, "does not conform to policy");
  } catch (e) {
    throw wrongAnswer(e);
  }

  const user = await updateUser<StoredUser>(
    ctx,
    pool,
    found,
    async (next) => {
      // Single use: a concurrent answer with the same session may have won while this one waited.
      if (!ctx.store.getChallenge(record.session)) throw errors.invalidSession();
      try {
        checkRequiredAttributes(pool, withAttributes(next.attributes, updates));
      } catch (e) {
        throw wrongAnswer(e);
      }
      const hashed = await passwordRecord(ctx, found, password);
      // Look again after the hash, before the session is spent: it may have expired and been
      // dropped, or the user been deleted (UserNotFoundException), while the hash ran.
      if (!ctx.store.getChallenge(record.session)) throw errors.invalidSession();
      currentUser(ctx, pool.id, found.sub);
      next.attributes = withAttributes(next.attributes, updates);
      next.password = hashed;
      next.status = "CONFIRMED";
      ctx.store.deleteChallenge(record.session);
      return next;
    },
    // A used session is what a request finds first, whether or not the user is still there.
    { gone: () => (ctx.store.getChallenge(record.session) ? errors.userNotFound() : errors.invalidSession()) },
  );
  // What follows a new password is what follows any correct password (MFA, then tokens).
  return afterPassword(ctx, pool, client, user, {
    source: "TokenGeneration_NewPasswordChallenge",
    clientMetadata: a.clientMetadata,
  });
}
