// Consistency checks of a Store's records and indexes, for tests that try hard to break it (the
// fuzz, the concurrency tests). It reads the store's private index maps on purpose: an index
// entry that points at a deleted record is invisible through the public API until it bites.

import type { IdentityPoolRecord, IdentityRecord } from "../emulator/store/identity-types.js";
import { INDEXED_ATTRIBUTES, type Store } from "../emulator/store/store.js";
import type {
  ChallengeRecord,
  ClientRecord,
  GroupRecord,
  PoolRecord,
  SessionRecord,
  UserRecord,
} from "../emulator/store/types.js";

type IndexedAttribute = (typeof INDEXED_ATTRIBUTES)[number];

/** The store's private fields, as this file reads them. */
interface StoreInternals {
  pools: Map<string, PoolRecord>;
  clients: Map<string, ClientRecord>;
  groups: Map<string, Map<string, GroupRecord>>;
  users: Map<
    string,
    {
      byKey: Map<string, UserRecord>;
      bySub: Map<string, UserRecord>;
      byAttribute: Map<IndexedAttribute, Map<string, UserRecord | Set<UserRecord>>>;
      byGroup: Map<string, Set<string>>;
    }
  >;
  sessions: Map<string, SessionRecord>;
  sessionsByRefresh: Map<string, SessionRecord>;
  sessionsByUser: Map<string, Set<string>>;
  challenges: Map<string, ChallengeRecord>;
  identityPools: Map<string, IdentityPoolRecord>;
  identities: Map<string, IdentityRecord>;
  identitiesByPool: Map<string, Set<string>>;
  identitiesByLogin: Map<string, IdentityRecord>;
}

const STATUSES = new Set([
  "UNCONFIRMED",
  "CONFIRMED",
  "ARCHIVED",
  "COMPROMISED",
  "UNKNOWN",
  "RESET_REQUIRED",
  "FORCE_CHANGE_PASSWORD",
  "EXTERNAL_PROVIDER",
]);

/**
 * Every violated invariant of the store, as readable lines (empty when consistent):
 * users are indexed by username key, sub, indexed attribute and group exactly as their records
 * say, and every index entry points at a live record; groups, clients, sessions and challenges
 * belong to live pools; sessions belong to live users and are found by each of their refresh
 * tokens; records have the types the operations rely on.
 */
function storeInvariantProblems(store: Store): string[] {
  const s = store as unknown as StoreInternals;
  const problems: string[] = [];
  const fail = (line: string) => {
    if (problems.length < 50) problems.push(line);
  };

  for (const [id, pool] of s.pools) {
    if (pool.id !== id) fail(`pool ${id} stored under another id (${pool.id})`);
    if (!s.users.has(id)) fail(`pool ${id} has no user table`);
    if (!s.groups.has(id)) fail(`pool ${id} has no group table`);
    if (typeof pool.pool !== "object" || pool.pool === null || pool.pool.Id !== id)
      fail(`pool ${id}: DescribeUserPool record does not name it`);
  }
  for (const id of s.users.keys()) if (!s.pools.has(id)) fail(`user table of deleted pool ${id}`);
  for (const id of s.groups.keys()) if (!s.pools.has(id)) fail(`group table of deleted pool ${id}`);

  for (const [clientId, c] of s.clients) {
    if (c.client.ClientId !== clientId) fail(`client ${clientId} stored under another id`);
    if (!s.pools.has(c.poolId)) fail(`client ${clientId} of deleted pool ${c.poolId}`);
    if (c.client.UserPoolId !== undefined && c.client.UserPoolId !== c.poolId)
      fail(`client ${clientId}: UserPoolId ${c.client.UserPoolId} is not its pool ${c.poolId}`);
  }

  for (const [poolId, groups] of s.groups) {
    for (const [name, g] of groups) {
      if (g.poolId !== poolId) fail(`group ${poolId}/${name} records pool ${g.poolId}`);
      if (g.group.GroupName !== name)
        fail(`group ${poolId}/${name} stored under another name (${String(g.group.GroupName)})`);
    }
  }

  for (const [poolId, pu] of s.users) {
    const subs = new Set<string>();
    for (const [key, u] of pu.byKey) {
      const where = `user ${poolId}/${key}`;
      if (u.poolId !== poolId) fail(`${where}: records pool ${u.poolId}`);
      if (typeof u.username !== "string" || typeof u.sub !== "string") {
        fail(`${where}: username or sub is not a string`);
        continue;
      }
      if (store.usernameKey(poolId, u.username) !== key)
        fail(`${where}: stored under a key that is not its username's (${u.username})`);
      if (pu.bySub.get(u.sub) !== u) fail(`${where}: sub ${u.sub} index points elsewhere`);
      if (subs.has(u.sub)) fail(`${where}: sub ${u.sub} shared with another user`);
      subs.add(u.sub);
      if (!STATUSES.has(u.status)) fail(`${where}: status ${String(u.status)}`);
      if (typeof u.enabled !== "boolean") fail(`${where}: enabled is ${typeof u.enabled}`);
      if (!Array.isArray(u.attributes)) {
        fail(`${where}: attributes is not an array`);
        continue;
      }
      const names = new Set<string>();
      for (const a of u.attributes) {
        if (typeof a.Name !== "string" || typeof a.Value !== "string")
          fail(`${where}: attribute ${JSON.stringify(a)} is not a Name/Value pair of strings`);
        if (names.has(a.Name!)) fail(`${where}: attribute ${a.Name} appears twice`);
        names.add(a.Name!);
      }
      const subAttr = u.attributes.find((a) => a.Name === "sub")?.Value;
      if (subAttr !== undefined && subAttr !== u.sub)
        fail(`${where}: sub attribute ${subAttr} differs from sub ${u.sub}`);
      for (const attr of INDEXED_ATTRIBUTES) {
        const value = u.attributes.find((a) => a.Name === attr)?.Value;
        if (value === undefined) continue;
        const found = store.findUsersByAttribute(poolId, attr, value);
        if (!found.includes(u)) fail(`${where}: not found by its ${attr} ${JSON.stringify(value)}`);
      }
      if (!Array.isArray(u.groups)) {
        fail(`${where}: groups is not an array`);
        continue;
      }
      if (new Set(u.groups).size !== u.groups.length) fail(`${where}: a group listed twice`);
      for (const g of u.groups) {
        if (!s.groups.get(poolId)?.has(g)) fail(`${where}: member of missing group ${g}`);
        if (!pu.byGroup.get(g)?.has(key)) fail(`${where}: group index of ${g} lacks it`);
      }
    }
    if (pu.bySub.size !== pu.byKey.size)
      fail(`pool ${poolId}: ${pu.bySub.size} subs indexed for ${pu.byKey.size} users`);
    for (const [sub, u] of pu.bySub)
      if (u.sub !== sub || pu.byKey.get(store.usernameKey(poolId, u.username)) !== u)
        fail(`pool ${poolId}: sub index ${sub} points at a dead record`);
    for (const [attr, idx] of pu.byAttribute) {
      for (const [value, entry] of idx) {
        const list = entry instanceof Set ? [...entry] : [entry];
        if (entry instanceof Set && entry.size < 2)
          fail(`pool ${poolId}: ${attr} index ${value} holds a set of ${entry.size}`);
        for (const u of list) {
          if (pu.byKey.get(store.usernameKey(poolId, u.username)) !== u)
            fail(`pool ${poolId}: ${attr} index ${JSON.stringify(value)} points at a dead record`);
          const own = u.attributes.find((a) => a.Name === attr)?.Value;
          const norm = own === undefined ? undefined : attr === "phone_number" ? own : own.toLowerCase();
          if (norm !== value)
            fail(
              `pool ${poolId}: ${attr} index ${JSON.stringify(value)} points at a user whose ${attr} is ${JSON.stringify(own)}`,
            );
        }
      }
    }
    for (const [g, keys] of pu.byGroup) {
      if (keys.size === 0) fail(`pool ${poolId}: empty group index ${g}`);
      for (const k of keys)
        if (!pu.byKey.get(k)?.groups.includes(g))
          fail(`pool ${poolId}: group index ${g} names ${k}, who is not a member`);
    }
  }

  let refreshTokens = 0;
  for (const [jti, session] of s.sessions) {
    const where = `session ${jti}`;
    if (session.originJti !== jti) fail(`${where}: stored under another id`);
    if (!s.pools.has(session.poolId)) fail(`${where}: of deleted pool ${session.poolId}`);
    if (!s.clients.has(session.clientId)) fail(`${where}: of deleted client ${session.clientId}`);
    const user = s.users.get(session.poolId)?.bySub.get(session.sub);
    if (!user) fail(`${where}: of deleted user ${session.sub}`);
    if (s.sessionsByRefresh.get(session.refreshToken) !== session) fail(`${where}: not found by its refresh token`);
    if (!s.sessionsByUser.get(`${session.poolId}/${session.sub}`)?.has(jti))
      fail(`${where}: not indexed under its user`);
    refreshTokens += 1;
    for (const r of session.retired ?? []) {
      if (s.sessionsByRefresh.get(r.token) !== session) fail(`${where}: not found by a retired refresh token`);
      refreshTokens += 1;
    }
  }
  if (s.sessionsByRefresh.size !== refreshTokens)
    fail(`${s.sessionsByRefresh.size} refresh tokens indexed for ${refreshTokens} held by sessions`);
  for (const session of s.sessionsByRefresh.values())
    if (s.sessions.get(session.originJti) !== session)
      fail(`refresh index points at dead session ${session.originJti}`);
  let byUser = 0;
  for (const [userKey, jtis] of s.sessionsByUser) {
    if (jtis.size === 0) fail(`empty session index of ${userKey}`);
    for (const jti of jtis) {
      const session = s.sessions.get(jti);
      if (!session || `${session.poolId}/${session.sub}` !== userKey)
        fail(`session index of ${userKey} names ${jti}, not one of theirs`);
      byUser += 1;
    }
  }
  if (byUser !== s.sessions.size) fail(`${byUser} sessions indexed by user for ${s.sessions.size} sessions`);

  for (const [id, ch] of s.challenges) {
    if (ch.session !== id) fail(`challenge stored under another session`);
    if (!s.pools.has(ch.poolId)) fail(`challenge of deleted pool ${ch.poolId}`);
    if (!s.clients.has(ch.clientId)) fail(`challenge of deleted client ${ch.clientId}`);
  }
  // Identity pools: every identity in its pool's list and the login index, and nothing else there.
  for (const [id, identity] of s.identities) {
    if (identity.id !== id) fail(`identity stored under another id`);
    if (!s.identityPools.has(identity.poolId)) fail(`identity ${id} of deleted identity pool ${identity.poolId}`);
    if (!s.identitiesByPool.get(identity.poolId)?.has(id)) fail(`identity ${id} missing from its pool's list`);
    for (const l of identity.logins) {
      if (s.identitiesByLogin.get(JSON.stringify([identity.poolId, l.provider, l.subject])) !== identity)
        fail(`login ${l.provider} of identity ${id} not indexed to it`);
    }
  }
  for (const [poolId, ids] of s.identitiesByPool) {
    if (!s.identityPools.has(poolId)) fail(`identity list of deleted identity pool ${poolId}`);
    for (const id of ids) if (s.identities.get(id)?.poolId !== poolId) fail(`identity list of ${poolId} names ${id}`);
  }
  for (const [key, identity] of s.identitiesByLogin) {
    if (s.identities.get(identity.id) !== identity) fail(`login index ${key} points at a replaced identity`);
  }
  return problems;
}

/** Throws with every problem `storeInvariantProblems` finds. */
export function assertStoreInvariants(store: Store): void {
  const problems = storeInvariantProblems(store);
  if (problems.length > 0) throw new Error(`store invariants violated:\n  ${problems.join("\n  ")}`);
}
