// The whole state as one JSON document: the data directory's snapshot, the file of
// `cognito-twin export`/`import`, and the body of GET/POST /_twin/state all use this format,
// so a snapshot can be copied out of a data directory and imported elsewhere as it is.
import { Store, type StoredChange, TABLES, type TableName } from "../store/store.js";
import type {
  ChallengeRecord,
  ClientRecord,
  GroupRecord,
  PoolRecord,
  SessionRecord,
  UserRecord,
} from "../store/types.js";
import { describeRecord, recordProblem } from "./state-schema.js";

/** The `format` field of a state document. */
export const STATE_FORMAT = "cognito-twin-state";
/** The newest state document version this build reads and the one it writes. */
export const STATE_VERSION = 1;

/**
 * A state document (format version 1). Records are the store's own (emulator/store/types.ts):
 * pools with their signing keys, users with hashed passwords, sessions with refresh tokens.
 */
export interface StateDocument {
  format: typeof STATE_FORMAT;
  version: number;
  /** Journal sequence number of the last change included (0 for a state never journaled). */
  seq: number;
  /** When it was written (ISO 8601); informational. */
  savedAt: string;
  tables: Record<TableName, unknown[]>;
}

/** Thrown for a document that cannot be read; the message says what is wrong and where. */
export class StateFormatError extends Error {
  override readonly name = "StateFormatError";
}

/** The store's records as a state document (pools first, in insertion order). */
export function stateDocumentOf(store: Store, seq: number, now = new Date()): StateDocument {
  const tables = Object.fromEntries(TABLES.map((t) => [t, [] as unknown[]])) as Record<TableName, unknown[]>;
  for (const { table, value } of store.entries()) tables[table].push(value);
  return { format: STATE_FORMAT, version: STATE_VERSION, seq, savedAt: now.toISOString(), tables };
}

/**
 * Checks a whole parsed document before any of it is used: format, version, that every table is
 * known and every record matches its table's schema (state-schema.ts), that each record's pool is
 * in the document and that no two records claim the same identity. Answers the document and the
 * changes that rebuild it in a store. `source` names the file or request in error messages.
 * With `dryRun`, the changes are also applied to a scratch store first, so a caller that then
 * applies them to a live store knows none of them can fail half-way.
 *
 * @throws StateFormatError naming the record and field that is wrong.
 */
export function readStateDocument(
  parsed: unknown,
  source: string,
  opts: { dryRun?: boolean } = {},
): { doc: StateDocument; changes: StoredChange[] } {
  if (!isObject(parsed))
    throw new StateFormatError(`${source}: not a cognito-twin state document (expected a JSON object)`);
  if (parsed.format !== STATE_FORMAT) {
    throw new StateFormatError(
      `${source}: not a cognito-twin state document ("format" is ${JSON.stringify(parsed.format)}, expected "${STATE_FORMAT}")`,
    );
  }
  const version = parsed.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw new StateFormatError(`${source}: "version" must be a positive integer, not ${JSON.stringify(version)}`);
  }
  if (version > STATE_VERSION) {
    throw new StateFormatError(
      `${source}: state format version ${version} was written by a newer cognito-twin; this one reads version ${STATE_VERSION}. Upgrade cognito-twin to load it.`,
    );
  }
  const seq = parsed.seq ?? 0;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0)
    throw new StateFormatError(`${source}: "seq" must be a non-negative integer`);
  if (parsed.savedAt !== undefined && typeof parsed.savedAt !== "string")
    throw new StateFormatError(`${source}: "savedAt" must be a string (an ISO 8601 time)`);
  if (!isObject(parsed.tables)) throw new StateFormatError(`${source}: "tables" must be an object of record lists`);
  const unknown = Object.keys(parsed.tables).filter((t) => !(TABLES as readonly string[]).includes(t));
  if (unknown.length > 0)
    throw new StateFormatError(
      `${source}: unknown table(s) ${unknown.join(", ")} in "tables" (known: ${TABLES.join(", ")})`,
    );
  const tables = {} as Record<TableName, unknown[]>;
  for (const t of TABLES) {
    const list = parsed.tables[t] ?? [];
    if (!Array.isArray(list)) throw new StateFormatError(`${source}: tables.${t} must be a list`);
    tables[t] = list;
  }

  const seen = new Identities();
  const changes: StoredChange[] = [];
  for (const table of TABLES) {
    tables[table].forEach((value, i) => {
      const problem = recordProblem(table, value) ?? seen.claim(table, value);
      if (problem)
        throw new StateFormatError(`${source}: tables.${table}[${i}] (${describeRecord(table, value)}): ${problem}`);
      changes.push({ op: "put", table, value });
    });
  }
  if (opts.dryRun) {
    try {
      new Store().restore(changes);
    } catch (e) {
      throw new StateFormatError(`${source}: cannot be loaded: ${(e as Error).message}`);
    }
  }
  const doc: StateDocument = {
    format: STATE_FORMAT,
    version,
    seq,
    savedAt: typeof parsed.savedAt === "string" ? parsed.savedAt : "",
    tables,
  };
  return { doc, changes };
}

/**
 * The identities records of one document claim (the keys the store files them under), so that
 * two records cannot silently overwrite each other, and each record's pool must come first.
 */
class Identities {
  private readonly pools = new Map<string, PoolRecord>();
  private readonly identityPools = new Set<string>();
  /** Identity key -> the record that claimed it (described only when another one clashes). */
  private readonly taken = new Map<string, { table: TableName; value: unknown }>();

  /** Answers what is wrong with the record's identity, or undefined (and remembers it). */
  claim(table: TableName, value: unknown): string | undefined {
    const v = value as Record<string, unknown>;
    if (table === "pools") {
      const pool = value as PoolRecord;
      if (pool.pool.Id !== pool.id) return `pool.Id is ${JSON.stringify(pool.pool.Id)}, not its id ${pool.id}`;
      if (this.pools.has(pool.id)) return `pool ${pool.id} is listed twice`;
      this.pools.set(pool.id, pool);
      return undefined;
    }
    // Identity pools stand apart from the user pools: an identity names its identity pool.
    if (table === "identityPools") {
      const id = v.id as string;
      if (this.identityPools.has(id)) return `identity pool ${id} is listed twice`;
      this.identityPools.add(id);
      return undefined;
    }
    if (table === "identities") {
      if (!this.identityPools.has(v.poolId as string))
        return `poolId: identity pool ${String(v.poolId)} is not in tables.identityPools`;
      return this.take(table, value, `identity ${String(v.id)}`, () => `identity id ${String(v.id)}`);
    }
    const poolId = v.poolId as string;
    const pool = this.pools.get(poolId);
    if (!pool) return `poolId: pool ${poolId} is not in tables.pools`;
    switch (table) {
      case "clients": {
        const c = (value as ClientRecord).client;
        if (c.UserPoolId !== undefined && c.UserPoolId !== poolId)
          return `client.UserPoolId is ${c.UserPoolId}, not its poolId ${poolId}`;
        return this.take(table, value, `client ${c.ClientId}`, () => `client id ${c.ClientId}`);
      }
      case "groups": {
        const g = (value as GroupRecord).group;
        if (g.UserPoolId !== undefined && g.UserPoolId !== poolId)
          return `group.UserPoolId is ${g.UserPoolId}, not its poolId ${poolId}`;
        return this.take(table, value, `group ${poolId}/${g.GroupName}`, () => `group name ${g.GroupName}`);
      }
      case "users": {
        const u = value as UserRecord;
        const caseSensitive = pool.pool.UsernameConfiguration?.CaseSensitive === true;
        const key = caseSensitive ? u.username : u.username.toLowerCase();
        return (
          this.take(table, value, `user ${poolId}/${key}`, () => `username ${JSON.stringify(u.username)}`) ??
          this.take(table, value, `sub ${poolId}/${u.sub}`, () => `sub ${u.sub}`)
        );
      }
      case "sessions": {
        const s = value as SessionRecord;
        let problem = this.take(table, value, `session ${s.originJti}`, () => `originJti ${s.originJti}`);
        for (const token of [s.refreshToken, ...(s.retired ?? []).map((r) => r.token)])
          problem ??= this.take(table, value, `refresh ${token}`, () => "its refresh token");
        return problem;
      }
      case "challenges":
        return this.take(table, value, `challenge ${(value as ChallengeRecord).session}`, () => "its session");
    }
  }

  /** Claims one identity for a record; answers what clashes if another record has it. */
  private take(table: TableName, value: unknown, key: string, what: () => string): string | undefined {
    const other = this.taken.get(key);
    if (other !== undefined && other.value !== value)
      return `${what()} is already used by ${describeRecord(other.table, other.value)}`;
    this.taken.set(key, { table, value });
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
