// NextToken pagination: the token names the last item of the previous page (and where it
// stood), so pages stay right when items are added or removed between calls.
import { errors } from "../core/errors.js";

/** One page of items and the token for the next, if any. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

const TOKEN = /^twin:(\d+):(.*)$/s;

/** Pages `all` (in its order) by `limit`, continuing after the item the token names. */
export function paginate<T>(all: readonly T[], keyOf: (item: T) => string, limit: number, token?: string): Page<T> {
  let start = 0;
  if (token) {
    const m = TOKEN.exec(Buffer.from(token, "base64url").toString("utf8"));
    if (!m) throw errors.invalidPaginationToken();
    const position = Number(m[1]);
    const key = m[2]!;
    // Fast path: the item is still where it was; else find it; else it was deleted, and the
    // next page starts where it stood (the items after it moved up by one).
    if (position < all.length && keyOf(all[position]!) === key) start = position + 1;
    else {
      const index = all.findIndex((i) => keyOf(i) === key);
      start = index === -1 ? Math.min(position, all.length) : index + 1;
    }
  }
  const items = all.slice(start, start + limit);
  const end = start + items.length;
  return end < all.length ? { items, nextToken: encodeToken(end - 1, keyOf(items[items.length - 1]!)) } : { items };
}

/** The token that continues after the item `key` at `position`. */
function encodeToken(position: number, key: string): string {
  return Buffer.from(`twin:${position}:${key}`, "utf8").toString("base64url");
}
