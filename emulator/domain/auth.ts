// Sign-in rules shared by InitiateAuth, AdminInitiateAuth and the challenge responses:
// SECRET_HASH, the client's ExplicitAuthFlows, PreventUserExistenceErrors, lockout, and what
// comes after a correct password (tokens or a challenge).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { RequestFacts, Services } from "../context.js";
import { CognitoError, errors } from "../core/errors.js";
import { verifyPassword } from "../crypto/password-hash.js";
import { newOpaque } from "../services/ids.js";
import type { ChallengeRecord, StoredClient, StoredPool, StoredUser, UserRecord } from "../store/types.js";
import { noteWrongPassword } from "./auth-events.js";
import { clientSecretValues, matchesClientSecret } from "./client-secrets.js";
import { type MigrationContext, migrateUser } from "./triggers/user-migration.js";
import { findUser } from "./users/lookup.js";
import { attr } from "./users/records.js";
import { unchanged, updateUser } from "./users/update.js";

/** Base64(HMAC-SHA256(secret, username + clientId)). */
function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac("sha256", clientSecret)
    .update(username + clientId)
    .digest("base64");
}

/**
 * For clients with a secret, SECRET_HASH must be present and match one of the names the user
 * may be known by (what they typed, the username, or for refreshes the sub).
 */
export function checkSecretHash(
  client: StoredClient,
  given: string | undefined,
  names: readonly (string | undefined)[],
): void {
  // A client in the middle of a rotation has two secrets: a hash made with either is right.
  const secrets = clientSecretValues(client);
  if (secrets.length === 0) return;
  const id = client.client.ClientId!;
  if (!given) throw errors.secretHashMissing(id);
  const givenBuf = Buffer.from(given);
  for (const secret of secrets) {
    for (const name of names) {
      if (name === undefined) continue;
      const expected = Buffer.from(secretHash(secret, name, id));
      if (expected.length === givenBuf.length && timingSafeEqual(expected, givenBuf)) return;
    }
  }
  throw errors.secretHashMismatch(id);
}

/** Refuses a flow the client does not allow, with Cognito's message. */
export function requireFlow(client: StoredClient, allow: string, flowName: string): void {
  const flows = (client.client.ExplicitAuthFlows ?? []) as string[];
  if (!flows.includes(allow)) throw errors.flowNotEnabled(flowName);
}

/** True when the client hides whether users exist (PreventUserExistenceErrors ENABLED). */
export function hidesUsers(client: StoredClient): boolean {
  return client.client.PreventUserExistenceErrors === "ENABLED";
}

/**
 * Failed proofs before lockout, and the longest lockout (Cognito: five wrong passwords, or five
 * wrong MFA codes, then a lock of 2^(n-5) seconds up to about 15 minutes; docs/decisions/0014).
 */
const FREE_ATTEMPTS = 5;
const MAX_LOCK_MS = 15 * 60_000;

/** The end of the lock that `failures` failed proofs earn from `now`; none before the fifth. */
function lockAfter(failures: number, now: number): number | undefined {
  if (failures < FREE_ATTEMPTS) return undefined;
  return now + Math.min(MAX_LOCK_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS));
}

/** True while the user is locked out (by wrong passwords or MFA codes): `Password attempts exceeded`. */
export function isLockedOut(user: Pick<StoredUser, "lockedUntil">, now: number): boolean {
  return user.lockedUntil !== undefined && now < user.lockedUntil;
}

/**
 * Counts a wrong password (a sign-in's, an SRP proof's, ChangePassword's previous password) on
 * `user`, the copy updateUser writes. True when it locks the user.
 */
export function countWrongPassword(user: UserRecord, now: number): boolean {
  user.failedSignIns += 1;
  const until = lockAfter(user.failedSignIns, now);
  if (until === undefined) return false;
  user.lockedUntil = until;
  return true;
}

/**
 * Counts a wrong MFA code (SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP) on `user`, the copy updateUser
 * writes. The count survives new sign-ins (a correct password does not clear it, only a sign-in
 * that passes MFA does), so new sessions do not buy new guesses. True when it locks the user.
 */
export function countWrongMfaCode(user: UserRecord, now: number): boolean {
  user.failedMfaCodes = (user.failedMfaCodes ?? 0) + 1;
  const until = lockAfter(user.failedMfaCodes, now);
  if (until === undefined) return false;
  user.lockedUntil = until;
  return true;
}

/**
 * Checks a username and password the way Cognito's password flows do, and returns the user.
 * Counts wrong passwords; after five, answers `Password attempts exceeded` with a growing lock.
 * A name the pool does not know goes to the pool's user migration trigger first (with the
 * request's ClientMetadata); a user it creates with this password needs no second proof.
 */
export async function checkPasswordSignIn(
  ctx: MigrationContext,
  pool: StoredPool,
  client: StoredClient,
  username: string,
  password: string,
  clientMetadata?: Readonly<Record<string, string>>,
): Promise<StoredUser> {
  const found = findUser(ctx, pool, username);
  const migrated = found
    ? undefined
    : await migrateUser(ctx, pool, client, {
        source: "UserMigration_Authentication",
        typed: username,
        password,
        clientMetadata,
      });
  const user = found ?? migrated?.user;
  if (!user) throw hidesUsers(client) ? errors.incorrectCredentials() : errors.userNotFound();
  if (migrated?.created) return verifySignIn(ctx, pool, user, () => true);
  return verifySignIn(ctx, pool, user, (_user, stored) => verifyPassword(password, stored.hash));
}

/**
 * The checks every proof of a password goes through (a PASSWORD, or USER_SRP_AUTH's signature),
 * under the user's lock: lockout, disabled, the proof itself (wrong ones counted; after five,
 * `Password attempts exceeded` with a growing lock), then the user's status and temporary
 * password expiry. `prove` sees the current record and its password. Returns the user.
 *
 * One unit of work on the user (updateUser): no other change to them can come between the checks,
 * the (awaited) proof and the write of the counters. The counters are not a modification Cognito
 * shows, so UserLastModifiedDate stays; a user deleted meanwhile is nobody to sign in.
 */
export async function verifySignIn(
  ctx: Pick<Services, "store" | "clock" | "locks"> & Pick<RequestFacts, "sourceIp">,
  pool: StoredPool,
  found: StoredUser,
  prove: (user: StoredUser, password: NonNullable<StoredUser["password"]>) => boolean | Promise<boolean>,
): Promise<StoredUser> {
  const outcome = await updateUser<StoredUser | CognitoError>(
    ctx,
    pool,
    found,
    async (user) => {
      const now = ctx.clock.now();
      if (isLockedOut(user, now)) throw errors.passwordAttemptsExceeded();
      if (!user.enabled) throw errors.userDisabled();
      // A RESET_REQUIRED user with no password at all (imported from a CSV, docs/user-import.md)
      // hears that a reset is required, whatever was typed, as from Cognito.
      if (!user.password)
        throw user.status === "RESET_REQUIRED" ? errors.passwordResetRequired() : errors.incorrectCredentials();
      if (!(await prove(user, user.password))) {
        // A wrong proof counts towards the lock: the count is written, and the error thrown after.
        noteWrongPassword(ctx, pool, user);
        if (countWrongPassword(user, now)) return errors.passwordAttemptsExceeded();
        return user.status === "UNCONFIRMED" ? errors.userNotConfirmed() : errors.incorrectCredentials();
      }
      if (user.status === "UNCONFIRMED") throw errors.userNotConfirmed();
      if (user.status === "RESET_REQUIRED") throw errors.passwordResetRequired();
      if (user.password.temporaryUntil !== undefined && now > user.password.temporaryUntil) {
        throw errors.temporaryPasswordExpired();
      }
      if (user.failedSignIns === 0 && user.lockedUntil === undefined) return unchanged<StoredUser>(user);
      user.failedSignIns = 0;
      delete user.lockedUntil;
      return user;
    },
    { touch: false, gone: () => errors.incorrectCredentials() },
  );
  if (outcome instanceof CognitoError) throw outcome;
  return outcome;
}

/**
 * Wrong answers one challenge session takes (Cognito publishes no number; docs/decisions/0014):
 * the last of them ends the session.
 */
const MAX_WRONG_ANSWERS = 3;

/**
 * Counts a wrong answer given with a challenge session (a wrong MFA code, a choice not offered, a
 * new password the policy refuses...). The third ends the session: every later answer with it,
 * the right one too, is `Invalid session for the user.` Answers `error`, for the caller to throw.
 * Reads and writes the session with nothing awaited in between, so concurrent answers each count.
 */
export function countWrongAnswer(ctx: Pick<Services, "store">, session: string, error: CognitoError): CognitoError {
  const current = ctx.store.getChallenge(session);
  if (current) {
    const wrong = (current.wrongAnswers ?? 0) + 1;
    if (wrong >= MAX_WRONG_ANSWERS) ctx.store.deleteChallenge(session);
    else ctx.store.putChallenge({ ...current, wrongAnswers: wrong });
  }
  return error;
}

/**
 * Opens a challenge session (single use, expiring after the client's AuthSessionValidity). Only
 * the username is read: USER_AUTH opens sessions for names that match no user too, when the
 * client hides users (domain/user-auth.ts).
 */
export function openChallenge(
  ctx: Pick<Services, "store" | "clock">,
  pool: StoredPool,
  client: StoredClient,
  user: Pick<StoredUser, "username">,
  challenge: string,
  data: Record<string, string> = {},
): ChallengeRecord {
  const minutes = client.client.AuthSessionValidity ?? 3;
  const record: ChallengeRecord = {
    session: newOpaque(96),
    poolId: pool.id,
    clientId: client.client.ClientId!,
    username: user.username,
    challenge,
    expiresAt: ctx.clock.now() + minutes * 60_000,
    data,
  };
  ctx.store.putChallenge(record);
  return record;
}

/** The NEW_PASSWORD_REQUIRED challenge parameters for an admin-created user. */
export function newPasswordChallengeParameters(pool: StoredPool, user: StoredUser): Record<string, string> {
  const required = (pool.pool.SchemaAttributes ?? [])
    .filter((a) => a.Required && a.Name !== "sub" && !attr(user, a.Name!))
    .map((a) => `userAttributes.${a.Name}`);
  const visible: Record<string, string> = {};
  for (const a of user.attributes) if (a.Name !== "sub") visible[a.Name!] = a.Value ?? "";
  return {
    USER_ID_FOR_SRP: user.username,
    requiredAttributes: JSON.stringify(required),
    userAttributes: JSON.stringify(visible),
  };
}

/**
 * For calls that take the client secret itself rather than a SECRET_HASH (GetTokensFromRefreshToken,
 * RevokeToken): what is wrong with the secret given, if anything. Callers word their own errors.
 */
export function clientSecretProblem(client: StoredClient, given: string | undefined): "missing" | "wrong" | undefined {
  if (clientSecretValues(client).length === 0) return undefined;
  if (!given) return "missing";
  return matchesClientSecret(client, given) ? undefined : "wrong";
}
