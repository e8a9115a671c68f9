// Sign-in rules shared by InitiateAuth, AdminInitiateAuth and the challenge responses:
// SECRET_HASH, the client's ExplicitAuthFlows, PreventUserExistenceErrors, lockout, and what
// comes after a correct password (tokens or a challenge).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { OperationContext } from "../context.js";
import { CognitoError, errors } from "../core/errors.js";
import { verifyPassword } from "../crypto/password-hash.js";
import { newOpaque } from "../services/ids.js";
import type { ChallengeRecord, ClientRecord, PasswordRecord, PoolRecord, UserRecord } from "../store/types.js";
import { findUser } from "./users/lookup.js";
import { attr, cloneUser } from "./users/records.js";

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
  client: ClientRecord,
  given: string | undefined,
  names: readonly (string | undefined)[],
): void {
  const secret = client.client.ClientSecret;
  if (!secret) return;
  const id = client.client.ClientId!;
  if (!given) throw errors.notAuthorized(`Client ${id} is configured with secret but SECRET_HASH was not received`);
  const givenBuf = Buffer.from(given);
  for (const name of names) {
    if (name === undefined) continue;
    const expected = Buffer.from(secretHash(secret, name, id));
    if (expected.length === givenBuf.length && timingSafeEqual(expected, givenBuf)) return;
  }
  throw errors.notAuthorized(`Unable to verify secret hash for client ${id}`);
}

/** Refuses a flow the client does not allow, with Cognito's message. */
export function requireFlow(client: ClientRecord, allow: string, flowName: string): void {
  const flows = (client.client.ExplicitAuthFlows ?? []) as string[];
  if (!flows.includes(allow)) throw errors.invalidParameter(`${flowName} flow not enabled for this client`);
}

/** True when the client hides whether users exist (PreventUserExistenceErrors ENABLED). */
export function hidesUsers(client: ClientRecord): boolean {
  return client.client.PreventUserExistenceErrors === "ENABLED";
}

/** Failed passwords before lockout, and the longest lockout (Cognito: 5, then doubling to 15 min). */
const FREE_ATTEMPTS = 5;
const MAX_LOCK_MS = 15 * 60_000;

/**
 * Checks a username and password the way Cognito's password flows do, and returns the user.
 * Counts wrong passwords; after five, answers `Password attempts exceeded` with a growing lock.
 */
export async function checkPasswordSignIn(
  ctx: Pick<OperationContext, "store" | "clock" | "locks">,
  pool: PoolRecord,
  client: ClientRecord,
  username: string,
  password: string,
): Promise<UserRecord> {
  const found = findUser(ctx, pool, username);
  if (!found) throw hidesUsers(client) ? errors.incorrectCredentials() : errors.userNotFound();
  return verifySignIn(ctx, pool, found, (user) => verifyPassword(password, user.password.hash));
}

/**
 * The checks every proof of a password goes through (a PASSWORD, or USER_SRP_AUTH's signature),
 * under the user's lock: lockout, disabled, the proof itself (wrong ones counted; after five,
 * `Password attempts exceeded` with a growing lock), then the user's status and temporary
 * password expiry. `prove` sees the current record, which has a password. Returns the user.
 */
export async function verifySignIn(
  ctx: Pick<OperationContext, "store" | "clock" | "locks">,
  pool: PoolRecord,
  found: UserRecord,
  prove: (user: UserRecord & { password: PasswordRecord }) => boolean | Promise<boolean>,
): Promise<UserRecord> {
  return ctx.locks.run(`${pool.id}/${found.sub}`, async () => {
    const user = ctx.store.getUserBySub(pool.id, found.sub);
    if (!user) throw errors.incorrectCredentials();
    const now = ctx.clock.now();
    if (user.lockedUntil !== undefined && now < user.lockedUntil)
      throw errors.notAuthorized("Password attempts exceeded");
    if (!user.enabled) throw errors.notAuthorized("User is disabled.");
    if (!user.password) throw errors.incorrectCredentials();
    const proved = await prove(user as UserRecord & { password: PasswordRecord });
    return settleSignIn(ctx, pool, found.sub, proved, now);
  });
}

/**
 * The part of verifySignIn after the (awaited) proof: reads the user again, since operations
 * that take no lock (AdminDisableUser, AdminDeleteUser, group and attribute changes) may have
 * run meanwhile, and a copy from before the await must not be written back.
 */
function settleSignIn(
  ctx: Pick<OperationContext, "store" | "clock">,
  pool: PoolRecord,
  sub: string,
  ok: boolean,
  now: number,
): UserRecord {
  const user = ctx.store.getUserBySub(pool.id, sub);
  if (!user?.password) throw errors.incorrectCredentials();
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  if (!ok) {
    const next = cloneUser(user);
    next.failedSignIns += 1;
    if (next.failedSignIns >= FREE_ATTEMPTS) {
      next.lockedUntil = now + Math.min(MAX_LOCK_MS, 1000 * 2 ** (next.failedSignIns - FREE_ATTEMPTS));
      ctx.store.putUser(next);
      throw errors.notAuthorized("Password attempts exceeded");
    }
    ctx.store.putUser(next);
    if (user.status === "UNCONFIRMED") throw new CognitoError("UserNotConfirmedException", "User is not confirmed.");
    throw errors.incorrectCredentials();
  }
  if (user.status === "UNCONFIRMED") throw new CognitoError("UserNotConfirmedException", "User is not confirmed.");
  if (user.status === "RESET_REQUIRED")
    throw new CognitoError("PasswordResetRequiredException", "Password reset required for the user");
  if (user.password.temporaryUntil !== undefined && now > user.password.temporaryUntil) {
    throw errors.notAuthorized("Temporary password has expired and must be reset by an administrator.");
  }
  if (user.failedSignIns > 0 || user.lockedUntil !== undefined) {
    const next = cloneUser(user);
    next.failedSignIns = 0;
    delete next.lockedUntil;
    ctx.store.putUser(next);
    return next;
  }
  return user;
}

/** Opens a challenge session (single use, expiring after the client's AuthSessionValidity). */
export function openChallenge(
  ctx: Pick<OperationContext, "store" | "clock">,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
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
export function newPasswordChallengeParameters(pool: PoolRecord, user: UserRecord): Record<string, string> {
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
export function clientSecretProblem(client: ClientRecord, given: string | undefined): "missing" | "wrong" | undefined {
  const secret = client.client.ClientSecret;
  if (!secret) return undefined;
  if (!given) return "missing";
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b) ? undefined : "wrong";
}
