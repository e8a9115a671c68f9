// The whole state as one JSON document: the data directory's snapshot, the file of
// `cognito-twin export`/`import`, and the body of GET/POST /_twin/state all use this format,
// so a snapshot can be copied out of a data directory and imported elsewhere as it is.
import { type Store, type StoredChange, TABLES, type TableName } from "../store/store.js";

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
 * Checks a parsed document (format, version, each record's identifying fields, that every
 * record's pool is in it) and returns it with the changes that rebuild it in a store.
 * `source` names the file or request in error messages.
 */
export function readStateDocument(parsed: unknown, source: string): { doc: StateDocument; changes: StoredChange[] } {
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
  if (!isObject(parsed.tables)) throw new StateFormatError(`${source}: "tables" must be an object of record lists`);
  const tables = {} as Record<TableName, unknown[]>;
  for (const t of TABLES) {
    const list = parsed.tables[t] ?? [];
    if (!Array.isArray(list)) throw new StateFormatError(`${source}: tables.${t} must be a list`);
    tables[t] = list;
  }
  const unknown = Object.keys(parsed.tables).filter((t) => !(TABLES as readonly string[]).includes(t));
  if (unknown.length > 0) throw new StateFormatError(`${source}: unknown table(s) ${unknown.join(", ")}`);

  const pools = new Set<string>();
  const changes: StoredChange[] = [];
  for (const table of TABLES) {
    tables[table].forEach((value, i) => {
      const where = `${source}: tables.${table}[${i}]`;
      checkRecord(table, value, where, pools);
      if (table === "pools") pools.add((value as { id: string }).id);
      changes.push({ op: "put", table, value });
    });
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

/** The fields the store indexes a record by must be there, or a restore would corrupt indexes. */
function checkRecord(table: TableName, value: unknown, where: string, pools: ReadonlySet<string>): void {
  if (!isObject(value)) throw new StateFormatError(`${where} must be an object`);
  const str = (v: unknown, name: string): void => {
    if (typeof v !== "string" || v === "") throw new StateFormatError(`${where}: ${name} must be a non-empty string`);
  };
  const inPool = (): void => {
    str(value.poolId, "poolId");
    if (!pools.has(value.poolId as string))
      throw new StateFormatError(`${where}: pool ${String(value.poolId)} is not in tables.pools`);
  };
  switch (table) {
    case "pools":
      str(value.id, "id");
      if (!isObject(value.pool)) throw new StateFormatError(`${where}: pool must be an object`);
      if (!isObject(value.tags)) throw new StateFormatError(`${where}: tags must be an object`);
      if (!isObject(value.mfa)) throw new StateFormatError(`${where}: mfa must be an object`);
      return;
    case "clients":
      inPool();
      if (!isObject(value.client)) throw new StateFormatError(`${where}: client must be an object`);
      str(value.client.ClientId, "client.ClientId");
      return;
    case "groups":
      inPool();
      if (!isObject(value.group)) throw new StateFormatError(`${where}: group must be an object`);
      str(value.group.GroupName, "group.GroupName");
      return;
    case "users":
      inPool();
      str(value.username, "username");
      str(value.sub, "sub");
      if (!Array.isArray(value.attributes)) throw new StateFormatError(`${where}: attributes must be a list`);
      return;
    case "sessions":
      inPool();
      str(value.originJti, "originJti");
      str(value.refreshToken, "refreshToken");
      return;
    case "challenges":
      inPool();
      str(value.session, "session");
      return;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
