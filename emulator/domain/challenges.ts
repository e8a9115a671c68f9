// Answers to auth challenges, shared by RespondToAuthChallenge and AdminRespondToAuthChallenge.
// Each challenge name has one handler in CHALLENGE_HANDLERS; the SRP and MFA challenges plug in
// here with `registerChallenge` (or by adding an entry), and the two operations stay unchanged.
import type { ChallengeNameType, RespondToAuthChallengeResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { OperationContext } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { ChallengeRecord, ClientRecord, PoolRecord, UserRecord } from "../store/types.js";
import { checkClientWriteAttributes } from "./attributes.js";
import { checkSecretHash } from "./auth.js";
import { afterPassword } from "./flows.js";
import { emailOtp, mfaSetup, selectMfaType, smsMfa, softwareTokenMfa } from "./mfa-challenges.js";
import { passwordVerifier } from "./srp-sign-in.js";
import {
  attr,
  checkPasswordPolicy,
  checkRequiredAttributes,
  checkWritableAttributes,
  cloneUser,
  currentUser,
  passwordRecord,
  withAttributes,
} from "./users.js";

/** What a challenge handler is given. */
export interface ChallengeAnswer {
  ctx: OperationContext;
  pool: PoolRecord;
  client: ClientRecord;
  /** The `ChallengeResponses` map as sent (USERNAME, SECRET_HASH, NEW_PASSWORD, ...). */
  responses: Record<string, string>;
  /** The `Session` string as sent, if any. */
  session: string | undefined;
  /** True for AdminRespondToAuthChallenge (SigV4-signed, UserPoolId given). */
  admin: boolean;
}

/** What every challenge answer resolves to: the next challenge, or tokens. */
export type ChallengeResult = Wire<RespondToAuthChallengeResponse>;

/** Checks one challenge's answer and says what comes next. */
export type ChallengeHandler = (answer: ChallengeAnswer) => Promise<ChallengeResult>;

const handlers: Partial<Record<ChallengeNameType, ChallengeHandler>> = {
  NEW_PASSWORD_REQUIRED: newPasswordRequired,
  // SRP and MFA answers (srp-sign-in.ts, mfa-challenges.ts). Wrapped so the modules, which
  // import this one, are read when an answer arrives rather than while modules load.
  PASSWORD_VERIFIER: (a) => passwordVerifier(a),
  SOFTWARE_TOKEN_MFA: (a) => softwareTokenMfa(a),
  SMS_MFA: (a) => smsMfa(a),
  EMAIL_OTP: (a) => emailOtp(a),
  SELECT_MFA_TYPE: (a) => selectMfaType(a),
  MFA_SETUP: (a) => mfaSetup(a),
};

/** The handlers by challenge name (read-only view; add with `registerChallenge`). */
export const CHALLENGE_HANDLERS: Readonly<Partial<Record<ChallengeNameType, ChallengeHandler>>> = handlers;

/** Adds the handler of a challenge (PASSWORD_VERIFIER, SOFTWARE_TOKEN_MFA, ...); once per name. */
export function registerChallenge(name: ChallengeNameType, handler: ChallengeHandler): void {
  if (handlers[name] && handlers[name] !== handler) throw new Error(`challenge ${name} registered twice`);
  handlers[name] = handler;
}

/** Dispatches an answer to its challenge's handler. */
export function respondToChallenge(name: ChallengeNameType, answer: ChallengeAnswer): Promise<ChallengeResult> {
  const handler = handlers[name];
  if (!handler) throw errors.invalidParameter(`${name} challenge is not supported by cognito-twin yet.`);
  return handler(answer);
}

/**
 * Finds the user a challenge session belongs to and checks that USERNAME (when sent, and always
 * when the client has a secret) names that user, and that SECRET_HASH matches.
 */
export function challengeUser(a: ChallengeAnswer, sessionUsername: string): UserRecord {
  const user = a.ctx.store.getUser(a.pool.id, sessionUsername);
  if (!user) throw errors.userNotFound();
  const typed = a.responses.USERNAME;
  if (typed === undefined || typed === "") throw errors.invalidParameter("Missing required parameter USERNAME");
  const names = new Set(
    [user.username, user.sub, attr(user, "email"), attr(user, "phone_number"), attr(user, "preferred_username")]
      .filter((n): n is string => n !== undefined)
      .map((n) => n.toLowerCase()),
  );
  if (!names.has(typed.toLowerCase())) throw errors.notAuthorized("Invalid session for the user.");
  checkSecretHash(a.client, a.responses.SECRET_HASH, [typed, user.username]);
  return user;
}

/**
 * The pending challenge a Session names, left in place so that an answer refused for its content
 * (a password the policy rejects) can be corrected and sent again; the handler deletes it once the
 * answer is accepted. Expired sessions are dropped and refused.
 */
export function pendingChallenge(a: ChallengeAnswer, name: ChallengeNameType): ChallengeRecord {
  const record = a.session ? a.ctx.store.getChallenge(a.session) : undefined;
  if (
    !record ||
    record.clientId !== a.client.client.ClientId ||
    record.poolId !== a.pool.id ||
    record.challenge !== name
  ) {
    throw errors.notAuthorized("Invalid session for the user.");
  }
  if (a.ctx.clock.now() > record.expiresAt) {
    a.ctx.store.deleteChallenge(record.session);
    throw errors.notAuthorized("Invalid session for the user, session is expired.");
  }
  return record;
}

const USER_ATTRIBUTE_PREFIX = "userAttributes.";

/**
 * NEW_PASSWORD_REQUIRED: an admin-created user sets a permanent password (and any required
 * attributes the pool lacks for them) with the temporary password's session.
 */
async function newPasswordRequired(a: ChallengeAnswer): Promise<ChallengeResult> {
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
