// The emulator's state: records and the indexes that find them. No Cognito errors and no I/O
// here; operations decide what a missing record means. Every write goes through put*/delete*,
// so a journal can observe all changes through `onChange`.
import type {
  ChallengeRecord,
  ClientRecord,
  GroupRecord,
  PoolRecord,
  SessionRecord,
  UserRecord,
} from "./types.js";

/** The tables of the store. */
export type TableName = "pools" | "clients" | "groups" | "users" | "sessions" | "challenges";

/** One write, as a journal sees it. */
export type Change =
  | { op: "put"; table: TableName; key: string; value: unknown }
  | { op: "delete"; table: TableName; key: string }
  | { op: "clear" };

/** Attributes a user can be found by besides the username (aliases and username attributes). */
export const INDEXED_ATTRIBUTES = ["email", "phone_number", "preferred_username"] as const;
type IndexedAttribute = (typeof INDEXED_ATTRIBUTES)[number];

class PoolUsers {
  readonly byKey = new Map<string, UserRecord>();
  readonly bySub = new Map<string, UserRecord>();
  readonly byAttribute = new Map<IndexedAttribute, Map<string, Set<UserRecord>>>(
    INDEXED_ATTRIBUTES.map((a) => [a, new Map()]),
  );
}

/** In-memory state of every pool. */
export class Store {
  private readonly pools = new Map<string, PoolRecord>();
  private readonly clients = new Map<string, ClientRecord>();
  private readonly groups = new Map<string, Map<string, GroupRecord>>();
  private readonly users = new Map<string, PoolUsers>();
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly sessionsByRefresh = new Map<string, SessionRecord>();
  private readonly challenges = new Map<string, ChallengeRecord>();
  private readonly listeners: ((change: Change) => void)[] = [];

  /** Registers a listener called synchronously after every write. */
  onChange(listener: (change: Change) => void): void {
    this.listeners.push(listener);
  }

  private emit(change: Change): void {
    for (const l of this.listeners) l(change);
  }

  /** Drops everything. */
  clear(): void {
    this.pools.clear();
    this.clients.clear();
    this.groups.clear();
    this.users.clear();
    this.sessions.clear();
    this.sessionsByRefresh.clear();
    this.challenges.clear();
    this.emit({ op: "clear" });
  }

  // ---- pools

  getPool(id: string): PoolRecord | undefined {
    return this.pools.get(id);
  }

  listPools(): IterableIterator<PoolRecord> {
    return this.pools.values();
  }

  putPool(record: PoolRecord): void {
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

  getClient(clientId: string): ClientRecord | undefined {
    return this.clients.get(clientId);
  }

  listClients(poolId: string): ClientRecord[] {
    return [...this.clients.values()].filter((c) => c.poolId === poolId);
  }

  putClient(record: ClientRecord): void {
    this.clients.set(record.client.ClientId!, record);
    this.emit({ op: "put", table: "clients", key: record.client.ClientId!, value: record });
  }

  deleteClient(clientId: string): void {
    if (this.clients.delete(clientId)) this.emit({ op: "delete", table: "clients", key: clientId });
  }

  // ---- groups

  getGroup(poolId: string, name: string): GroupRecord | undefined {
    return this.groups.get(poolId)?.get(name);
  }

  listGroups(poolId: string): GroupRecord[] {
    return [...(this.groups.get(poolId)?.values() ?? [])];
  }

  putGroup(record: GroupRecord): void {
    let map = this.groups.get(record.poolId);
    if (!map) this.groups.set(record.poolId, (map = new Map()));
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

  getUser(poolId: string, username: string): UserRecord | undefined {
    return this.users.get(poolId)?.byKey.get(this.usernameKey(poolId, username));
  }

  getUserBySub(poolId: string, sub: string): UserRecord | undefined {
    return this.users.get(poolId)?.bySub.get(sub);
  }

  /** Users whose attribute (email, phone_number, preferred_username) has this value. */
  findUsersByAttribute(poolId: string, attribute: IndexedAttribute, value: string): UserRecord[] {
    const set = this.users.get(poolId)?.byAttribute.get(attribute)?.get(normaliseIndexed(attribute, value));
    return set ? [...set] : [];
  }

  /** Every user of a pool, in creation order. */
  listUsers(poolId: string): IterableIterator<UserRecord> {
    return (this.users.get(poolId)?.byKey.values() ?? new Map<string, UserRecord>().values());
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
    pu.byKey.set(key, record);
    pu.bySub.set(record.sub, record);
    for (const attr of INDEXED_ATTRIBUTES) {
      const value = record.attributes.find((a) => a.Name === attr)?.Value;
      if (value === undefined) continue;
      const idx = pu.byAttribute.get(attr)!;
      const norm = normaliseIndexed(attr, value);
      let set = idx.get(norm);
      if (!set) idx.set(norm, (set = new Set()));
      set.add(record);
    }
    this.emit({ op: "put", table: "users", key: `${record.poolId}/${key}`, value: record });
  }

  deleteUser(record: UserRecord): void {
    const pu = this.users.get(record.poolId);
    if (!pu) return;
    const key = this.usernameKey(record.poolId, record.username);
    const current = pu.byKey.get(key);
    if (!current) return;
    this.unindex(pu, current);
    pu.byKey.delete(key);
    for (const s of [...this.sessions.values()]) if (s.poolId === record.poolId && s.sub === record.sub) this.deleteSession(s.originJti);
    this.emit({ op: "delete", table: "users", key: `${record.poolId}/${key}` });
  }

  private unindex(pu: PoolUsers, record: UserRecord): void {
    pu.bySub.delete(record.sub);
    for (const attr of INDEXED_ATTRIBUTES) {
      const value = record.attributes.find((a) => a.Name === attr)?.Value;
      if (value === undefined) continue;
      const idx = pu.byAttribute.get(attr)!;
      const norm = normaliseIndexed(attr, value);
      const set = idx.get(norm);
      set?.delete(record);
      if (set?.size === 0) idx.delete(norm);
    }
  }

  // ---- sign-in sessions

  getSession(originJti: string): SessionRecord | undefined {
    return this.sessions.get(originJti);
  }

  getSessionByRefreshToken(token: string): SessionRecord | undefined {
    return this.sessionsByRefresh.get(token);
  }

  sessionsOf(poolId: string, sub: string): SessionRecord[] {
    return [...this.sessions.values()].filter((s) => s.poolId === poolId && s.sub === sub);
  }

  putSession(record: SessionRecord): void {
    const previous = this.sessions.get(record.originJti);
    if (previous) this.unindexSession(previous);
    this.sessions.set(record.originJti, record);
    this.sessionsByRefresh.set(record.refreshToken, record);
    for (const r of record.retired ?? []) this.sessionsByRefresh.set(r.token, record);
    this.emit({ op: "put", table: "sessions", key: record.originJti, value: record });
  }

  deleteSession(originJti: string): void {
    const s = this.sessions.get(originJti);
    if (!s) return;
    this.unindexSession(s);
    this.sessions.delete(originJti);
    this.emit({ op: "delete", table: "sessions", key: originJti });
  }

  private unindexSession(s: SessionRecord): void {
    this.sessionsByRefresh.delete(s.refreshToken);
    for (const r of s.retired ?? []) this.sessionsByRefresh.delete(r.token);
  }

  // ---- pending auth challenges

  getChallenge(session: string): ChallengeRecord | undefined {
    return this.challenges.get(session);
  }

  putChallenge(record: ChallengeRecord): void {
    this.challenges.set(record.session, record);
    this.emit({ op: "put", table: "challenges", key: record.session, value: record });
  }

  deleteChallenge(session: string): void {
    if (this.challenges.delete(session)) this.emit({ op: "delete", table: "challenges", key: session });
  }
}

function normaliseIndexed(attribute: IndexedAttribute, value: string): string {
  return attribute === "phone_number" ? value : value.toLowerCase();
}
