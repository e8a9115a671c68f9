// Finding users by the names Cognito accepts: username (case-insensitive unless the pool says
// otherwise), email or phone as username, and verified aliases; and the pool's user limit.
import type { Services } from "../../context.js";
import { errors } from "../../core/errors.js";
import type { StoredPool, StoredUser } from "../../store/types.js";
import { attr } from "./records.js";

function usernameAttributes(pool: StoredPool): string[] {
  return (pool.pool.UsernameAttributes ?? []) as string[];
}

/** True when the pool signs users in with email and/or phone number instead of a username. */
export function usesUsernameAttributes(pool: StoredPool): boolean {
  return usernameAttributes(pool).length > 0;
}

/**
 * The user a sign-in name refers to: the username itself, else (email/phone as username) the
 * attribute value, else a verified alias (AliasAttributes), as Cognito resolves them.
 */
export function findUser(ctx: Pick<Services, "store">, pool: StoredPool, name: string): StoredUser | undefined {
  const direct = ctx.store.getUser(pool.id, name);
  if (direct) return direct;
  for (const a of usernameAttributes(pool)) {
    const found = ctx.store.findUsersByAttribute(pool.id, a as "email" | "phone_number", name);
    if (found.length > 0) return found[0];
  }
  for (const a of (pool.pool.AliasAttributes ?? []) as string[]) {
    const indexed = a === "phone_number" ? "phone_number" : a === "email" ? "email" : "preferred_username";
    const found = ctx.store.findUsersByAttribute(pool.id, indexed, name);
    // Email and phone aliases only count once verified; preferred_username always does.
    const usable = found.filter((u) => indexed === "preferred_username" || attr(u, `${indexed}_verified`) === "true");
    if (usable.length > 0) return usable[0];
  }
  return undefined;
}

/** Like findUser, but Cognito's UserNotFoundException when there is none. */
export function requireUser(ctx: Pick<Services, "store">, pool: StoredPool, name: string): StoredUser {
  const user = findUser(ctx, pool, name);
  if (!user) throw errors.userNotFound();
  return user;
}

/**
 * The user's record as it is now, for a write after an await or a lock wait: a copy read
 * earlier may be stale, and writing it back would undo other requests' changes or bring a
 * deleted user (or one of a deleted pool) back. UserNotFoundException when the user is gone.
 */
export function currentUser(ctx: Pick<Services, "store">, poolId: string, sub: string): StoredUser {
  const user = ctx.store.getUserBySub(poolId, sub);
  if (!user) throw errors.userNotFound();
  return user;
}

/**
 * Before a new user is stored (SignUp, AdminCreateUser): the pool must still exist (it may have
 * been deleted while the password was hashed) and have room under `--max-users-per-pool`.
 * Called again right before the write, with no await between, so the limit is exact.
 */
export function checkRoomForUser(ctx: Pick<Services, "store" | "config">, poolId: string): void {
  if (!ctx.store.getPool(poolId)) throw errors.userPoolNotFound(poolId);
  const max = ctx.config.maxUsersPerPool;
  if (ctx.store.countUsers(poolId) >= max) {
    throw errors.userPoolFull(poolId, max);
  }
}
