// What every challenge handler is given and answers, and the checks they all start with.
import type { ChallengeNameType, RespondToAuthChallengeResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Services } from "../../context.js";
import { errors } from "../../core/errors.js";
import type { Wire } from "../../core/wire.js";
import type { StoredChallenge, StoredClient, StoredPool, StoredUser } from "../../store/types.js";
import { checkSecretHash } from "../auth.js";
import type { SignInContext } from "../flows.js";
import { attr } from "../users/records.js";

/** What a challenge handler is given. */
export interface ChallengeAnswer {
  /**
   * What the handlers use: signing in (SignInContext) and the user's lock (a right answer ends
   * the session and may change the user, as one unit of work).
   */
  ctx: SignInContext & Pick<Services, "locks">;
  pool: StoredPool;
  client: StoredClient;
  /** The `ChallengeResponses` map as sent (USERNAME, SECRET_HASH, NEW_PASSWORD, ...). */
  responses: Record<string, string>;
  /** The `Session` string as sent, if any. */
  session: string | undefined;
  /** True for AdminRespondToAuthChallenge (SigV4-signed, UserPoolId given). */
  admin: boolean;
  /** The request's ClientMetadata, for the triggers the answer runs (post authentication, pre token generation). */
  clientMetadata?: Readonly<Record<string, string>> | undefined;
}

/** What every challenge answer resolves to: the next challenge, or tokens. */
export type ChallengeResult = Wire<RespondToAuthChallengeResponse>;

/** Checks one challenge's answer and says what comes next. */
export type ChallengeHandler = (answer: ChallengeAnswer) => Promise<ChallengeResult>;

/**
 * Finds the user a challenge session belongs to and checks that USERNAME (when sent, and always
 * when the client has a secret) names that user, and that SECRET_HASH matches.
 */
export function challengeUser(a: ChallengeAnswer, sessionUsername: string): StoredUser {
  const user = a.ctx.store.getUser(a.pool.id, sessionUsername);
  if (!user) throw errors.userNotFound();
  const typed = a.responses.USERNAME;
  if (typed === undefined || typed === "") throw errors.missingParameter("USERNAME");
  const names = new Set(
    [user.username, user.sub, attr(user, "email"), attr(user, "phone_number"), attr(user, "preferred_username")]
      .filter((n): n is string => n !== undefined)
      .map((n) => n.toLowerCase()),
  );
  if (!names.has(typed.toLowerCase())) throw errors.invalidSession();
  checkSecretHash(a.client, a.responses.SECRET_HASH, [typed, user.username]);
  return user;
}

/**
 * The pending challenge a Session names, left in place so that an answer refused for its content
 * (a password the policy rejects) can be corrected and sent again; the handler deletes it once the
 * answer is accepted. Expired sessions are dropped and refused.
 */
export function pendingChallenge(a: ChallengeAnswer, name: ChallengeNameType): StoredChallenge {
  const record = a.session ? a.ctx.store.getChallenge(a.session) : undefined;
  if (
    !record ||
    record.clientId !== a.client.client.ClientId ||
    record.poolId !== a.pool.id ||
    record.challenge !== name
  ) {
    throw errors.invalidSession();
  }
  if (a.ctx.clock.now() > record.expiresAt) {
    a.ctx.store.deleteChallenge(record.session);
    throw errors.sessionExpired();
  }
  return record;
}
