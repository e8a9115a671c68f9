// Ending sign-in sessions. A revoked session stays in the store (until it would have expired
// anyway, see sweepExpired) so that its tokens answer "has been revoked" rather than "invalid".
import type { Services } from "../context.js";
import type { StoredSession } from "../store/types.js";

type Ctx = Pick<Services, "store">;

/** Revokes one session: its refresh token and every access token minted from it. */
export function revokeSession(ctx: Ctx, session: StoredSession): void {
  if (session.revoked) return;
  ctx.store.putSession({ ...session, revoked: true });
}

/** Revokes every session of a user (GlobalSignOut, AdminUserGlobalSignOut); returns how many. */
export function revokeAllSessions(ctx: Ctx, poolId: string, sub: string): number {
  let n = 0;
  for (const s of ctx.store.sessionsOf(poolId, sub)) {
    if (s.revoked) continue;
    revokeSession(ctx, s);
    n += 1;
  }
  return n;
}

/**
 * Runs `fn` holding the lock of the session a refresh token belongs to (unknown tokens share
 * one), so that two refreshes of one rotating session cannot both rotate from the same state.
 */
export function lockRefreshSession<T>(
  ctx: Pick<Services, "store" | "locks">,
  refreshToken: string,
  fn: () => T | Promise<T>,
): Promise<T> {
  const key = ctx.store.getSessionByRefreshToken(refreshToken)?.originJti ?? "unknown";
  return ctx.locks.run(`session/${key}`, fn);
}

/**
 * How long records are kept past their expiry. A session outlives its refresh token by a day
 * because access tokens minted just before then (up to a day long) must still answer "has been
 * revoked" or work, not "invalid"; an expired challenge keeps answering "session is expired"
 * for an hour. After that they are dropped: nothing could use them, and a long-running
 * emulator would otherwise keep every sign-in it ever saw.
 */
export const KEEP_EXPIRED_MS = { sessions: 2 * 86_400_000, challenges: 3_600_000 } as const;

/** Drops sessions and challenges expired for longer than KEEP_EXPIRED_MS, by the emulator's clock. */
export function sweepExpired(ctx: Pick<Services, "store" | "clock">): { sessions: number; challenges: number } {
  const now = ctx.clock.now();
  return ctx.store.purgeExpired({
    sessionsExpiredBefore: now - KEEP_EXPIRED_MS.sessions,
    challengesExpiredBefore: now - KEEP_EXPIRED_MS.challenges,
  });
}
