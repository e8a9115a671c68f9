// Identities: found or made by their logins (GetId), and the check every call naming one makes
// of the Logins it brings (docs/identity-pools.md). An identity is a guest while it has no
// login; a login given for a guest, or beside one the identity has, is linked to it.
import { randomUUID } from "node:crypto";
import type { IdentityDescription } from "@aws-sdk/client-cognito-identity";
import type { Services } from "../../context.js";
import { identityErrors } from "../../core/errors.js";
import type { Wire } from "../../core/wire.js";
import type { IdentityLogin, StoredIdentity, StoredIdentityPool } from "../../store/identity-types.js";
import type { VerifiedLogin } from "./logins.js";
import { regionOf, requireIdentityPool } from "./pools.js";

/** The identity with this id, and its pool; ResourceNotFoundException if there is none. */
export function requireIdentity(
  ctx: Pick<Services, "store">,
  id: string,
): { identity: StoredIdentity; pool: StoredIdentityPool } {
  const identity = ctx.store.getIdentity(id);
  if (!identity) throw identityErrors.identityNotFound(id);
  return { identity, pool: requireIdentityPool(ctx, identity.poolId) };
}

/** A new identity id, in the pool's region: `us-east-1:<uuid>`. */
function newIdentityId(pool: StoredIdentityPool): string {
  return `${regionOf(pool.id)}:${randomUUID()}`;
}

/** Makes an identity with these logins (none: a guest). */
export function createIdentity(
  ctx: Pick<Services, "store" | "clock">,
  pool: StoredIdentityPool,
  logins: readonly IdentityLogin[],
): StoredIdentity {
  const now = ctx.clock.now();
  const record = { id: newIdentityId(pool), poolId: pool.id, logins: [...logins], createdAt: now, updatedAt: now };
  ctx.store.putIdentity(record);
  return record;
}

/** Adds logins the identity does not have yet; answers the identity as stored afterwards. */
export function linkLogins(
  ctx: Pick<Services, "store" | "clock">,
  identity: StoredIdentity,
  logins: readonly IdentityLogin[],
): StoredIdentity {
  const added = logins.filter(
    (l) => !identity.logins.some((have) => have.provider === l.provider && have.subject === l.subject),
  );
  if (added.length === 0) return identity;
  // Added beside what it has: a developer provider may link several user ids to one identity
  // (MergeDeveloperIdentities), and a user pool's second user can only reach a guest identity.
  const record = {
    ...identity,
    logins: [...identity.logins, ...added].map((l) => ({ ...l })),
    updatedAt: ctx.clock.now(),
  };
  ctx.store.putIdentity(record);
  return record;
}

/** The logins of verified user-pool tokens, as an identity keeps them. */
function loginsOf(verified: readonly VerifiedLogin[]): IdentityLogin[] {
  return verified.filter((v) => v.kind === "userPool").map((v) => ({ provider: v.provider, subject: v.subject }));
}

/**
 * GetId: the identity of these (verified) logins, made if none has them and linked to the
 * missing ones; a new guest identity when there are no logins and the pool allows guests.
 */
export function identityForLogins(
  ctx: Pick<Services, "store" | "clock">,
  pool: StoredIdentityPool,
  verified: readonly VerifiedLogin[],
): StoredIdentity {
  if (verified.length === 0) {
    if (!pool.allowUnauthenticated) throw identityErrors.unauthenticatedNotSupported();
    return createIdentity(ctx, pool, []);
  }
  const found = new Map<string, StoredIdentity>();
  for (const v of verified) {
    const identity =
      v.kind === "openId"
        ? ctx.store.getIdentity(v.subject)
        : ctx.store.findIdentityByLogin(pool.id, v.provider, v.subject);
    if (identity && identity.poolId === pool.id) found.set(identity.id, identity);
    else if (v.kind === "openId") throw identityErrors.identityNotFound(v.subject);
  }
  if (found.size > 1) throw identityErrors.loginsOfTwoIdentities();
  const [existing] = found.values();
  return existing ? linkLogins(ctx, existing, loginsOf(verified)) : createIdentity(ctx, pool, loginsOf(verified));
}

/** What the Logins of a call naming an identity established. */
export interface IdentityAccess {
  identity: StoredIdentity;
  authenticated: boolean;
  /** The logins that vouched for the identity (empty for a guest). */
  verified: readonly VerifiedLogin[];
}

/**
 * GetCredentialsForIdentity, GetOpenIdToken, UnlinkIdentity: the Logins must vouch for the
 * identity. A guest needs none (and the pool must allow guests); an authenticated identity needs
 * at least one of its own logins, or this service's token naming it. Logins given beside those
 * (or for a guest) are linked to the identity; one linked to another identity is refused.
 */
export function checkAccess(
  ctx: Pick<Services, "store" | "clock">,
  pool: StoredIdentityPool,
  identityId: string,
  verified: readonly VerifiedLogin[],
): IdentityAccess {
  // Read again: the identity may have changed while the tokens were verified.
  const identity = ctx.store.getIdentity(identityId);
  if (!identity || identity.poolId !== pool.id) throw identityErrors.identityNotFound(identityId);
  if (verified.length === 0) {
    if (identity.logins.length > 0) throw identityErrors.loginsDontMatch();
    if (!pool.allowUnauthenticated) throw identityErrors.unauthenticatedNotSupported();
    return { identity, authenticated: false, verified };
  }
  let vouched = identity.logins.length === 0;
  let authenticated = true;
  for (const v of verified) {
    if (v.kind === "openId") {
      if (v.subject !== identity.id) throw identityErrors.loginsDontMatch();
      vouched = true;
      const amr = v.claims.amr;
      authenticated = Array.isArray(amr) && amr.includes("authenticated");
      continue;
    }
    const owner = ctx.store.findIdentityByLogin(pool.id, v.provider, v.subject);
    if (owner && owner.id !== identity.id) throw identityErrors.loginOfAnotherIdentity();
    if (owner) vouched = true;
  }
  if (!vouched) throw identityErrors.loginsDontMatch();
  return { identity: linkLogins(ctx, identity, loginsOf(verified)), authenticated, verified };
}

/** What DescribeIdentity and ListIdentities answer for an identity. */
export function identityDescription(identity: StoredIdentity): Wire<IdentityDescription> {
  return {
    IdentityId: identity.id,
    Logins: [...new Set(identity.logins.map((l) => l.provider))],
    CreationDate: identity.createdAt / 1000,
    LastModifiedDate: identity.updatedAt / 1000,
  };
}
