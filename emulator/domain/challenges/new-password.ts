import { errors } from "../../core/errors.js";
import { afterPassword } from "../flows.js";
import { checkClientWriteAttributes, checkRequiredAttributes, checkWritableAttributes } from "../users/attributes.js";
import { currentUser } from "../users/lookup.js";
import { checkPasswordPolicy, passwordRecord } from "../users/passwords.js";
import { attr, cloneUser, withAttributes } from "../users/records.js";
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
  if (password === undefined || password === "")
    throw errors.invalidParameter("Missing required parameter NEW_PASSWORD");

  const updates: Record<string, string> = {};
  for (const [key, value] of Object.entries(responses)) {
    if (key.startsWith(USER_ATTRIBUTE_PREFIX)) updates[key.slice(USER_ATTRIBUTE_PREFIX.length)] = value;
  }
  const written = Object.entries(updates).map(([Name, Value]) => ({ Name, Value }));
  if (!a.admin) checkClientWriteAttributes(client, Object.keys(updates));
  // An attribute the user does not have yet may be set even if immutable: that is how an
  // immutable required attribute gets its first value.
  const settingFirstValue = written.every((w) => attr(found, w.Name) === undefined);
  checkWritableAttributes(pool, written, { creating: settingFirstValue, admin: a.admin });
  checkPasswordPolicy(pool, password, "does not conform to policy");

  const user = await ctx.locks.run(`${pool.id}/${found.sub}`, async () => {
    // Single use: a concurrent answer with the same session may have won while this one waited.
    if (!ctx.store.getChallenge(record.session)) throw errors.notAuthorized("Invalid session for the user.");
    checkRequiredAttributes(pool, withAttributes(currentUser(ctx, pool.id, found.sub).attributes, updates));
    const hashed = await passwordRecord(ctx, found, password);
    // Read again after the hash: the session may have been used, or the user changed or deleted,
    // by requests that ran meanwhile.
    if (!ctx.store.getChallenge(record.session)) throw errors.notAuthorized("Invalid session for the user.");
    const next = cloneUser(currentUser(ctx, pool.id, found.sub));
    next.attributes = withAttributes(next.attributes, updates);
    checkRequiredAttributes(pool, next.attributes);
    next.password = hashed;
    next.status = "CONFIRMED";
    next.updatedAt = ctx.clock.now();
    ctx.store.deleteChallenge(record.session);
    ctx.store.putUser(next);
    return next;
  });
  // What follows a new password is what follows any correct password (MFA, then tokens).
  return afterPassword(ctx, pool, client, user);
}
