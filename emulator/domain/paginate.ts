// NextToken pagination: the token names the last item of the previous page, so pages stay
// right when items are added or removed between calls.
import { errors } from "../protocol/errors.js";

/** One page of items and the token for the next, if any. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** Pages `all` (in its order) by `limit`, continuing after the item the token names. */
export function paginate<T>(all: readonly T[], keyOf: (item: T) => string, limit: number, token?: string): Page<T> {
  let start = 0;
  if (token) {
    let after: string;
    try {
      after = Buffer.from(token, "base64url").toString("utf8");
    } catch {
      throw errors.invalidParameter("Invalid pagination token.");
    }
    if (!after.startsWith("twin:")) throw errors.invalidParameter("Invalid pagination token.");
    const key = after.slice(5);
    const index = all.findIndex((i) => keyOf(i) === key);
    start = index === -1 ? all.findIndex((i) => keyOf(i) > key) : index + 1;
    if (start === -1) start = all.length;
  }
  const items = all.slice(start, start + limit);
  const more = start + limit < all.length;
  return more ? { items, nextToken: encodeToken(keyOf(items[items.length - 1]!)) } : { items };
}

/** The token that continues after `key`. */
export function encodeToken(key: string): string {
  return Buffer.from(`twin:${key}`, "utf8").toString("base64url");
}
