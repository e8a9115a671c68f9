// The emulator's state: records and the indexes that find them. No Cognito errors and no I/O
// here; operations decide what a missing record means. Every write goes through put*/delete*,
// so a journal can observe all changes through `onChange`.

import type { IdentityPoolRecord, IdentityRecord, StoredIdentity, StoredIdentityPool } from "./identity-types.js";
import type {
  StoredChallenge,
  StoredClient,
  StoredGroup,
  StoredPool,
  StoredSession,
  StoredUser,
  UserRecord,
} from "./types.js";

/** The tables of the store. */
export type TableName =
  | "pools"
  | "clients"
  | "groups"
  | "users"
  | "sessions"
  | "challenges"
  | "identityPools"
  | "identities";

/** One write, as a journal sees it. */
export type Change =
  | { op: "put"; table: TableName; key: string; value: unknown }
  | { op: "delete"; table: TableName; key: string }
  | { op: "clear" };

/** What `restore` and `apply` accept: a Change, where a put may leave its key out. */
export type StoredChange =
  | { op: "put"; table: TableName; key?: string; value: unknown }
  | { op: "delete"; table: TableName; key: string }
  | { op: "clear" };

// A Record, so that a table added to TableName cannot be forgotten by snapshots and replay.
const TABLE_ORDER: Record<TableName, number> = {
  pools: 0,
  clients: 1,
  groups: 2,
  users: 3,
  sessions: 4,
  challenges: 5,
  // The identity pools' tables (docs/identity-pools.md): an identity after its pool.
  identityPools: 6,
  identities: 7,
};

/** The tables in the order a restore must fill them (pools before what belongs to them). */
export const TABLES: readonly TableName[] = (Object.keys(TABLE_ORDER) as TableName[]).sort(
  (a, b) => TABLE_ORDER[a] - TABLE_ORDER[b],
);

/** Attributes a user can be found by besides the username (aliases and username attributes). */
export const INDEXED_ATTRIBUTES = ["email", "phone_number", "preferred_username"] as const;
type IndexedAttribute = (typeof INDEXED_ATTRIBUTES)[number];

class PoolUsers {
  readonly byKey = new Map<string, StoredUser>();
  readonly bySub = new Map<string, StoredUser>();
  /** Value -> the user with it, or a Set when several share it (one Set per user costs ~150 B). */
  readonly byAttribute = new Map<IndexedAttribute, Map<string, StoredUser | Set<StoredUser>>>(
    INDEXED_ATTRIBUTES.map((a) => [a, new Map()]),
  );
  /** Group name -> username keys of its members, derived from each user's `groups`. */
  readonly byGroup = new Map<string, Set<string>>();
  /** identityKey(provider, attribute, value) -> the user that identity signs in as (`identities`). */
  readonly byIdentity = new Map<string, StoredUser>();
}

/** The key of an external identity in the index: provider, attribute and value, case kept. */
function identityKey(providerName: string, attributeName: string, value: string): string {
  return JSON.stringify([providerName, attributeName, value]);
}

/**
 * In-memory state of every pool. Records go in by put* and come out read-only (StoredUser, ...):
 * the store and its indexes keep the very objects they were given, so a change is made on a copy
 * and put back. A user put must be a record of its own (UserRecord, a new one or a copy), which
 * the store owns from then on.
 */
export class Store {
  private readonly pools = new Map<string, StoredPool>();
  private readonly clients = new Map<string, StoredClient>();
  private readonly groups = new Map<string, Map<string, StoredGroup>>();
  private readonly users = new Map<string, PoolUsers>();
  private readonly sessions = new Map<string, StoredSession>();
  private readonly sessionsByRefresh = new Map<string, StoredSession>();
  /** `poolId/sub` -> origin_jti of the user's sessions, so sign-outs and deletions need no scan. */
  private readonly sessionsByUser = new Map<string, Set<string>>();
  private readonly challenges = new Map<string, StoredChallenge>();
  private readonly identityPools = new Map<string, StoredIdentityPool>();
  private readonly identities = new Map<string, StoredIdentity>();
  /** Identity pool id -> ids of its identities, in creation order. */
  private readonly identitiesByPool = new Map<string, Set<string>>();
  /** loginKey(pool, provider, subject) -> the identity that login belongs to. */
  private readonly identitiesByLogin = new Map<string, StoredIdentity>();
  private readonly listeners: ((change: Change) => void)[] = [];
  /** Set while restoring: the records came from the journal, so it must not hear them again. */
  private muted = false;

  /** Registers a listener called synchronously after every write. */
  onChange(listener: (change: Change) => void): void {
    this.listeners.push(listener);
  }

  private emit(change: Change): void {
    if (this.muted) return;
    for (const l of this.listeners) l(change);
  }

  /**
   * Applies one change through the ordinary write path (indexes kept, listeners told). A put's
   * key is derived from its record, so `key` matters only for deletes.
   */
  apply(change: StoredChange): void {
    if (change.op === "clear") {
      this.clear();
      return;
    }
    if (change.op === "put") {
      const v = change.value as never;
      switch (change.table) {
        case "pools":
          this.putPool(v);
          return;
        case "clients":
          this.putClient(v);
          return;
        case "groups":
          this.putGroup(v);
          return;
        case "users":
          this.putUser(v);
          return;
        case "sessions":
          this.putSession(v);
          return;
        case "challenges":
          this.putChallenge(v);
          return;
        case "identityPools":
          this.putIdentityPool(v);
          return;
        case "identities":
          this.putIdentity(v);
          return;
        default:
          unknownTable(change.table);
      }
    }
    const { table, key } = change;
    const slash = key.indexOf("/");
    switch (table) {
      case "pools":
        if (this.pools.has(key)) this.deletePool(key);
        return;
      case "clients":
        this.deleteClient(key);
        return;
      case "groups":
        this.deleteGroup(key.slice(0, slash), key.slice(slash + 1));
        return;
      case "users": {
        const user = this.users.get(key.slice(0, slash))?.byKey.get(key.slice(slash + 1));
        if (user) this.deleteUser(user);
        return;
      }
      case "sessions":
        this.deleteSession(key);
        return;
      case "challenges":
        this.deleteChallenge(key);
        return;
      case "identityPools":
        this.deleteIdentityPool(key);
        return;
      case "identities":
        this.deleteIdentity(key);
        return;
      default:
        unknownTable(table);
    }
  }

  /** Replays changes (a snapshot, then a journal) without telling the listeners. */
  restore(changes: Iterable<StoredChange>): void {
    this.muted = true;
    try {
      for (const change of changes) this.apply(change);
    } finally {
      this.muted = false;
    }
  }

  /**
   * Every record with its key, pools first so that replaying them in this order rebuilds the
   * store (a user's key depends on its pool's settings).
   */
  *entries(): Generator<{ table: TableName; key: string; value: unknown }> {
    for (const [key, value] of this.pools) yield { table: "pools", key, value };
    for (const [key, value] of this.clients) yield { table: "clients", key, value };
    for (const [poolId, map] of this.groups)
      for (const [name, value] of map) yield { table: "groups", key: `${poolId}/${name}`, value };
    for (const [poolId, pu] of this.users)
      for (const [key, value] of pu.byKey) yield { table: "users", key: `${poolId}/${key}`, value };
    for (const [key, value] of this.sessions) yield { table: "sessions", key, value };
    for (const [key, value] of this.challenges) yield { table: "challenges", key, value };
    for (const [key, value] of this.identityPools) yield { table: "identityPools", key, value };
    for (const [key, value] of this.identities) yield { table: "identities", key, value };
  }

  /** Drops everything. */
  clear(): void {
    this.pools.clear();
    this.clients.clear();
    this.groups.clear();
    this.users.clear();
    this.sessions.clear();
    this.sessionsByRefresh.clear();
    this.sessionsByUser.clear();
    this.challenges.clear();
    this.identityPools.clear();
    this.identities.clear();
    this.identitiesByPool.clear();
    this.identitiesByLogin.clear();
    this.emit({ op: "clear" });
  }

  // ---- pools

  getPool(id: string): StoredPool | undefined {
    return this.pools.get(id);
  }

  listPools(): IterableIterator<StoredPool> {
    return this.pools.values();
  }

  putPool(record: StoredPool): void {
    this.pools.set(record.id, record);
    if (!this.users.has(record.id)) this.users.set(record.id, new PoolUsers());
    if (!this.groups.has(record.id)) this.groups.set(record.id, new Map());
    this.emit({ op: "put", table: "pools", key: record.id, value: record });
  }

  /** Deletes a pool with its clients, groups, users and sessions. */
  deletePool(id: string): void {
    for (const c of [...this.clients.values()]) if (c.poolId === id) this.deleteClient(c.client.ClientId!);
    for (const s of [...this.sessions.values()]) if (s.poolId === id) this.deleteSession(s.originJti);
    for (const ch of [...this.challenges.values()]) if (ch.poolId === id) this.deleteChallenge(ch.session);
    for (const u of [...(this.users.get(id)?.byKey.values() ?? [])]) this.deleteUser(u);
    for (const g of [...(this.groups.get(id)?.values() ?? [])]) this.deleteGroup(id, g.group.GroupName!);
    this.users.delete(id);
    this.groups.delete(id);
    this.pools.delete(id);
    this.emit({ op: "delete", table: "pools", key: id });
  }

  // ---- clients

  getClient(clientId: string): StoredClient | undefined {
    return this.clients.get(clientId);
  }

  listClients(poolId: string): StoredClient[] {
    return [...this.clients.values()].filter((c) => c.poolId === poolId);
  }

  putClient(record: StoredClient): void {
    this.clients.set(record.client.ClientId!, record);
    this.emit({ op: "put", table: "clients", key: record.client.ClientId!, value: record });
  }

  /** Deletes a client with its sign-in sessions and pending challenges (its tokens die with it). */
  deleteClient(clientId: string): void {
    if (!this.clients.has(clientId)) return;
    for (const s of [...this.sessions.values()]) if (s.clientId === clientId) this.deleteSession(s.originJti);
    for (const ch of [...this.challenges.values()]) if (ch.clientId === clientId) this.deleteChallenge(ch.session);
    this.clients.delete(clientId);
    this.emit({ op: "delete", table: "clients", key: clientId });
  }

  // ---- groups

  getGroup(poolId: string, name: string): StoredGroup | undefined {
    return this.groups.get(poolId)?.get(name);
  }

  listGroups(poolId: string): StoredGroup[] {
    return [...(this.groups.get(poolId)?.values() ?? [])];
  }

  putGroup(record: StoredGroup): void {
    let map = this.groups.get(record.poolId);
    if (!map) {
      map = new Map();
      this.groups.set(record.poolId, map);
    }
    map.set(record.group.GroupName!, record);
    this.emit({ op: "put", table: "groups", key: `${record.poolId}/${record.group.GroupName!}`, value: record });
  }

  deleteGroup(poolId: string, name: string): void {
    if (this.groups.get(poolId)?.delete(name)) this.emit({ op: "delete", table: "groups", key: `${poolId}/${name}` });
  }

  // ---- users

  /**
   * The key a username is stored under: lower-cased unless the pool's usernames are case
   * sensitive (UsernameConfiguration.CaseSensitive, false by default here as for new pools).
   */
  usernameKey(poolId: string, username: string): string {
    const caseSensitive = this.pools.get(poolId)?.pool.UsernameConfiguration?.CaseSensitive === true;
    return caseSensitive ? username : username.toLowerCase();
  }

  getUser(poolId: string, username: string): StoredUser | undefined {
    return this.users.get(poolId)?.byKey.get(this.usernameKey(poolId, username));
  }

  getUserBySub(poolId: string, sub: string): StoredUser | undefined {
    return this.users.get(poolId)?.bySub.get(sub);
  }

  /** Users whose attribute (email, phone_number, preferred_username) has this value. */
  findUsersByAttribute(poolId: string, attribute: IndexedAttribute, value: string): StoredUser[] {
    const found = this.users.get(poolId)?.byAttribute.get(attribute)?.get(normaliseIndexed(attribute, value));
    return found === undefined ? [] : found instanceof Set ? [...found] : [found];
  }

  /** Every user of a pool, in creation order. */
  listUsers(poolId: string): IterableIterator<StoredUser> {
    return this.users.get(poolId)?.byKey.values() ?? new Map<string, StoredUser>().values();
  }

  /**
   * The user an external identity signs in as (a federated user's own identity, or a link made
   * with AdminLinkProviderForUser): by provider name, `Cognito_Subject` or the mapped attribute
   * of the link, and its value.
   */
  findUserByIdentity(
    poolId: string,
    providerName: string,
    attributeName: string,
    value: string,
  ): StoredUser | undefined {
    return this.users.get(poolId)?.byIdentity.get(identityKey(providerName, attributeName, value));
  }

  /** Members of a group (from the users' `groups`), in the order they joined. */
  usersInGroup(poolId: string, groupName: string): StoredUser[] {
    const pu = this.users.get(poolId);
    const keys = pu?.byGroup.get(groupName);
    if (!pu || !keys) return [];
    return [...keys].map((k) => pu.byKey.get(k)!);
  }

  countUsers(poolId: string): number {
    return this.users.get(poolId)?.byKey.size ?? 0;
  }

  /** Inserts or replaces a user (matched by username), keeping the indexes right. */
  putUser(record: UserRecord): void {
    const pu = this.users.get(record.poolId);
    if (!pu) throw new Error(`putUser: no pool ${record.poolId}`);
    const key = this.usernameKey(record.poolId, record.username);
    const previous = pu.byKey.get(key);
    if (previous) this.unindex(pu, previous);
    // An array built by push or spread keeps spare capacity (17 slots for 4 attributes); an
    // exact copy saves ~130 bytes a user, which is most of the difference at 100,000 users.
    record.attributes = record.attributes.slice();
    pu.byKey.set(key, record);
    pu.bySub.set(record.sub, record);
    for (const attr of INDEXED_ATTRIBUTES) {
      const value = record.attributes.find((a) => a.Name === attr)?.Value;
      if (value === undefined) continue;
      const idx = pu.byAttribute.get(attr)!;
      const norm = normaliseIndexed(attr, value);
      const found = idx.get(norm);
      if (found === undefined || found === record) idx.set(norm, record);
      else if (found instanceof Set) found.add(record);
      else idx.set(norm, new Set([found, record]));
    }
    for (const g of record.groups) {
      let members = pu.byGroup.get(g);
      if (!members) {
        members = new Set();
        pu.byGroup.set(g, members);
      }
      members.add(key);
    }
    for (const i of record.identities ?? [])
      pu.byIdentity.set(identityKey(i.providerName, i.attributeName, i.value), record);
    this.emit({ op: "put", table: "users", key: `${record.poolId}/${key}`, value: record });
  }

  deleteUser(record: StoredUser): void {
    const pu = this.users.get(record.poolId);
    if (!pu) return;
    const key = this.usernameKey(record.poolId, record.username);
    const current = pu.byKey.get(key);
    if (!current) return;
    this.unindex(pu, current);
    pu.byKey.delete(key);
    for (const jti of [...(this.sessionsByUser.get(`${record.poolId}/${record.sub}`) ?? [])]) this.deleteSession(jti);
    this.emit({ op: "delete", table: "users", key: `${record.poolId}/${key}` });
  }

  private unindex(pu: PoolUsers, record: StoredUser): void {
    pu.bySub.delete(record.sub);
    for (const i of record.identities ?? []) {
      const k = identityKey(i.providerName, i.attributeName, i.value);
      if (pu.byIdentity.get(k) === record) pu.byIdentity.delete(k);
    }
    const key = this.usernameKey(record.poolId, record.username);
    for (const g of record.groups) {
      const members = pu.byGroup.get(g);
      members?.delete(key);
      if (members?.size === 0) pu.byGroup.delete(g);
    }
    for (const attr of INDEXED_ATTRIBUTES) {
      const value = record.attributes.find((a) => a.Name === attr)?.Value;
      if (value === undefined) continue;
      const idx = pu.byAttribute.get(attr)!;
      const norm = normaliseIndexed(attr, value);
      const found = idx.get(norm);
      if (found === record) idx.delete(norm);
      else if (found instanceof Set) {
        found.delete(record);
        if (found.size === 1) idx.set(norm, found.values().next().value!);
        else if (found.size === 0) idx.delete(norm);
      }
    }
  }

  // ---- sign-in sessions

  getSession(originJti: string): StoredSession | undefined {
    return this.sessions.get(originJti);
  }

  getSessionByRefreshToken(token: string): StoredSession | undefined {
    return this.sessionsByRefresh.get(token);
  }

  sessionsOf(poolId: string, sub: string): StoredSession[] {
    return [...(this.sessionsByUser.get(`${poolId}/${sub}`) ?? [])].map((jti) => this.sessions.get(jti)!);
  }

  putSession(record: StoredSession): void {
    const previous = this.sessions.get(record.originJti);
    if (previous) this.unindexSession(previous);
    this.sessions.set(record.originJti, record);
    this.sessionsByRefresh.set(record.refreshToken, record);
    for (const r of record.retired ?? []) this.sessionsByRefresh.set(r.token, record);
    const userKey = `${record.poolId}/${record.sub}`;
    let own = this.sessionsByUser.get(userKey);
    if (!own) {
      own = new Set();
      this.sessionsByUser.set(userKey, own);
    }
    own.add(record.originJti);
    this.emit({ op: "put", table: "sessions", key: record.originJti, value: record });
  }

  deleteSession(originJti: string): void {
    const s = this.sessions.get(originJti);
    if (!s) return;
    this.unindexSession(s);
    this.sessions.delete(originJti);
    this.emit({ op: "delete", table: "sessions", key: originJti });
  }

  private unindexSession(s: StoredSession): void {
    this.sessionsByRefresh.delete(s.refreshToken);
    for (const r of s.retired ?? []) this.sessionsByRefresh.delete(r.token);
    const userKey = `${s.poolId}/${s.sub}`;
    const own = this.sessionsByUser.get(userKey);
    own?.delete(s.originJti);
    if (own?.size === 0) this.sessionsByUser.delete(userKey);
  }

  /**
   * Deletes sessions whose refresh token expired before `sessionsExpiredBefore` and challenges
   * that expired before `challengesExpiredBefore` (epoch ms); answers how many of each went.
   * Nothing else removes them, and nobody can use them any more.
   */
  purgeExpired(limits: { sessionsExpiredBefore: number; challengesExpiredBefore: number }): {
    sessions: number;
    challenges: number;
  } {
    let sessions = 0;
    let challenges = 0;
    for (const s of [...this.sessions.values()]) {
      if (s.refreshExpiresAt < limits.sessionsExpiredBefore) {
        this.deleteSession(s.originJti);
        sessions += 1;
      }
    }
    for (const ch of [...this.challenges.values()]) {
      if (ch.expiresAt < limits.challengesExpiredBefore) {
        this.deleteChallenge(ch.session);
        challenges += 1;
      }
    }
    return { sessions, challenges };
  }

  // ---- pending auth challenges

  getChallenge(session: string): StoredChallenge | undefined {
    return this.challenges.get(session);
  }

  putChallenge(record: StoredChallenge): void {
    this.challenges.set(record.session, record);
    this.emit({ op: "put", table: "challenges", key: record.session, value: record });
  }

  deleteChallenge(session: string): void {
    if (this.challenges.delete(session)) this.emit({ op: "delete", table: "challenges", key: session });
  }

  // ---- identity pools and their identities (docs/identity-pools.md)

  getIdentityPool(id: string): StoredIdentityPool | undefined {
    return this.identityPools.get(id);
  }

  /** Every identity pool, in creation order. */
  listIdentityPools(): IterableIterator<StoredIdentityPool> {
    return this.identityPools.values();
  }

  putIdentityPool(record: IdentityPoolRecord): void {
    this.identityPools.set(record.id, record);
    if (!this.identitiesByPool.has(record.id)) this.identitiesByPool.set(record.id, new Set());
    this.emit({ op: "put", table: "identityPools", key: record.id, value: record });
  }

  /** Deletes an identity pool with its identities. */
  deleteIdentityPool(id: string): void {
    if (!this.identityPools.has(id)) return;
    for (const identityId of [...(this.identitiesByPool.get(id) ?? [])]) this.deleteIdentity(identityId);
    this.identitiesByPool.delete(id);
    this.identityPools.delete(id);
    this.emit({ op: "delete", table: "identityPools", key: id });
  }

  getIdentity(id: string): StoredIdentity | undefined {
    return this.identities.get(id);
  }

  /** The identities of an identity pool, in creation order. */
  listIdentities(poolId: string): StoredIdentity[] {
    return [...(this.identitiesByPool.get(poolId) ?? [])].map((id) => this.identities.get(id)!);
  }

  /** The identity a login (provider and subject) of an identity pool belongs to. */
  findIdentityByLogin(poolId: string, provider: string, subject: string): StoredIdentity | undefined {
    return this.identitiesByLogin.get(loginKey(poolId, provider, subject));
  }

  /** Inserts or replaces an identity (its pool must exist), keeping the login index right. */
  putIdentity(record: IdentityRecord): void {
    const own = this.identitiesByPool.get(record.poolId);
    if (!own) throw new Error(`putIdentity: no identity pool ${record.poolId}`);
    const previous = this.identities.get(record.id);
    if (previous) this.unindexIdentity(previous);
    this.identities.set(record.id, record);
    own.add(record.id);
    for (const l of record.logins) this.identitiesByLogin.set(loginKey(record.poolId, l.provider, l.subject), record);
    this.emit({ op: "put", table: "identities", key: record.id, value: record });
  }

  deleteIdentity(id: string): void {
    const record = this.identities.get(id);
    if (!record) return;
    this.unindexIdentity(record);
    this.identitiesByPool.get(record.poolId)?.delete(id);
    this.identities.delete(id);
    this.emit({ op: "delete", table: "identities", key: id });
  }

  private unindexIdentity(record: StoredIdentity): void {
    for (const l of record.logins) {
      const k = loginKey(record.poolId, l.provider, l.subject);
      if (this.identitiesByLogin.get(k) === record) this.identitiesByLogin.delete(k);
    }
  }
}

/** The key of an identity's login in the index: identity pool, provider and subject, case kept. */
function loginKey(poolId: string, provider: string, subject: string): string {
  return JSON.stringify([poolId, provider, subject]);
}

function unknownTable(table: never): never {
  throw new Error(`unknown table ${String(table)}`);
}

function normaliseIndexed(attribute: IndexedAttribute, value: string): string {
  return attribute === "phone_number" ? value : value.toLowerCase();
}
