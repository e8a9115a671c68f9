// Ending sign-in sessions. A revoked session stays in the store (until it would have expired
// anyway) so that its tokens answer "has been revoked" rather than "invalid".
import type { OperationContext } from "../operations/types.js";
import type { SessionRecord } from "../store/types.js";

type Ctx = Pick<OperationContext, "store">;

/** Revokes one session: its refresh token and every access token minted from it. */
export function revokeSession(ctx: Ctx, session: SessionRecord): void {
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
