// The recent requests, kept in memory for the web console and `/_twin/requests`: a ring of the
// last N entries, each also handed to subscribers (the console's live view) as it is added.

/** One request the emulator answered. */
export interface RequestLogEntry {
  /** Increasing from 1 per emulator, so a reader can ask for what came after the last it saw. */
  readonly seq: number;
  /** When the answer left, ISO 8601 on the emulator's clock. */
  readonly time: string;
  readonly requestId: string;
  /** The API operation (`SignUp`, `cognito-identity:GetId`), or `METHOD /path` for other routes. */
  readonly operation: string;
  readonly poolId?: string;
  readonly clientId?: string;
  readonly status: number;
  /** The error's `__type` (x-amzn-ErrorType without the suffix) when the answer is an error. */
  readonly errorType?: string;
  readonly durationMs: number;
  /** The request body, secrets masked; only kept at log level `debug`. */
  readonly request?: unknown;
  /** The answer body, secrets masked; only kept at log level `debug`. */
  readonly response?: unknown;
}

/** What a caller hands to {@link RequestLog.add}: everything but the sequence number. */
export type NewRequestLogEntry = Omit<RequestLogEntry, "seq">;

/** A bounded ring of recent requests with subscribers. */
export class RequestLog {
  // A circular buffer: adding is O(1) however full the ring is (Array#shift would move every entry
  // on every request once the ring is full, and this runs on every request).
  readonly #ring: (RequestLogEntry | undefined)[];
  /** Where the next entry goes. */
  #next = 0;
  /** How many entries the ring holds (up to capacity). */
  #size = 0;
  readonly #listeners = new Set<(entry: RequestLogEntry) => void>();
  #seq = 0;

  /** @param capacity how many entries are kept; older ones are dropped first. */
  constructor(readonly capacity = 1000) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError(`request log capacity must be a positive integer, not ${capacity}`);
    this.#ring = new Array<RequestLogEntry | undefined>(capacity);
  }

  /** The `seq` of the latest entry added (0 before the first), kept across {@link clear}. */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Records an entry and tells the subscribers; a subscriber that throws is dropped. */
  add(entry: NewRequestLogEntry): RequestLogEntry {
    const full: RequestLogEntry = { seq: ++this.#seq, ...entry };
    this.#ring[this.#next] = full;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
    for (const listener of this.#listeners) {
      try {
        listener(full);
      } catch {
        this.#listeners.delete(listener);
      }
    }
    return full;
  }

  /** Entries oldest first; `after` keeps those with a greater `seq`, `limit` the newest N of them. */
  entries(options: { after?: number; limit?: number } = {}): RequestLogEntry[] {
    const after = options.after ?? 0;
    const kept: RequestLogEntry[] = [];
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    for (let i = 0; i < this.#size; i++) {
      const entry = this.#ring[(start + i) % this.capacity]!;
      if (entry.seq > after) kept.push(entry);
    }
    return options.limit !== undefined ? kept.slice(Math.max(0, kept.length - options.limit)) : kept;
  }

  /** Calls `listener` for every entry added from now on; returns the function that stops it. */
  subscribe(listener: (entry: RequestLogEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Forgets every entry (reset); the sequence goes on, so readers never see a number twice. */
  clear(): void {
    this.#ring.fill(undefined);
    this.#next = 0;
    this.#size = 0;
  }
}
