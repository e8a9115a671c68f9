import type { ListUsersRequest, ListUsersResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Services } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { parseUserFilter, type UserFilter, userMatcher } from "../domain/user-filter.js";
import { userType } from "../domain/users/records.js";
import type { StoredPool, StoredUser } from "../store/types.js";
import { defineOperation } from "./types.js";

const DEFAULT_LIMIT = 60;

/**
 * The users an exact filter can be answered from an index for, or undefined when the filter
 * needs a scan (prefix filters, and attributes the store does not index).
 */
function fromIndex(ctx: Pick<Services, "store">, pool: StoredPool, filter: UserFilter): StoredUser[] | undefined {
  if (filter.operator !== "=") return undefined;
  const { store } = ctx;
  switch (filter.attribute) {
    case "username": {
      const user = store.getUser(pool.id, filter.value);
      return user ? [user] : [];
    }
    case "sub": {
      const user = store.getUserBySub(pool.id, filter.value) ?? store.getUserBySub(pool.id, filter.value.toLowerCase());
      return user ? [user] : [];
    }
    case "email":
    case "phone_number":
    case "preferred_username":
      // Sorted by creation so the result pages in the same order as a full listing.
      return store
        .findUsersByAttribute(pool.id, filter.attribute, filter.value)
        .sort((a, b) => a.createdAt - b.createdAt);
    default:
      return undefined;
  }
}

/** Where a page starts: after the user named by the token. */
interface Cursor {
  createdAt: number;
  key: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(`twin:${c.createdAt}:${c.key}`, "utf8").toString("base64url");
}

function decodeCursor(token: string): Cursor {
  const text = Buffer.from(token, "base64url").toString("utf8");
  const match = /^twin:(\d+(?:\.\d+)?):(.*)$/s.exec(text);
  if (!match) throw errors.invalidPaginationToken();
  return { createdAt: Number(match[1]), key: match[2]! };
}

/**
 * One page of `users` (in store order, which is creation order) that `matches` accepts. Reads
 * only as far as the page needs: the users before the cursor and one past the page. If the
 * user the cursor names has been deleted since (`cursorLive` false), the page starts at the
 * first user created after it.
 */
function pageOf(
  users: Iterable<StoredUser>,
  matches: (u: StoredUser) => boolean,
  keyOf: (u: StoredUser) => string,
  limit: number,
  cursor: Cursor | undefined,
  cursorLive: boolean,
): { items: StoredUser[]; next?: Cursor } {
  const items: StoredUser[] = [];
  let started = cursor === undefined;
  for (const user of users) {
    if (!started) {
      if (keyOf(user) === cursor!.key) {
        started = true;
        continue;
      }
      if (cursorLive || user.createdAt <= cursor!.createdAt) continue;
      started = true;
    }
    if (!matches(user)) continue;
    if (items.length === limit) {
      const last = items[items.length - 1]!;
      return { items, next: { createdAt: last.createdAt, key: keyOf(last) } };
    }
    items.push(user);
  }
  return { items };
}

export default defineOperation("ListUsers", ["store"], (input: ListUsersRequest, ctx): Wire<ListUsersResponse> => {
  const pool = requirePool(ctx, input.UserPoolId!);
  const filter = parseUserFilter(input.Filter);
  const attributesToGet = input.AttributesToGet;
  if (attributesToGet) {
    const schema = new Set((pool.pool.SchemaAttributes ?? []).map((a) => a.Name));
    if (attributesToGet.some((name) => !schema.has(name))) throw errors.unknownRequestedAttributes();
  }
  // Limit 0 is allowed by the model; like an absent Limit it means a full page.
  const limit = input.Limit || DEFAULT_LIMIT;
  const cursor = input.PaginationToken ? decodeCursor(input.PaginationToken) : undefined;
  const usernameKey = (name: string) => ctx.store.usernameKey(pool.id, name);
  const keyOf = (u: StoredUser) => usernameKey(u.username);
  const matches = filter ? userMatcher(filter, usernameKey) : () => true;
  const indexed = filter ? fromIndex(ctx, pool, filter) : undefined;
  const candidates = indexed ?? ctx.store.listUsers(pool.id);
  const cursorLive =
    cursor !== undefined &&
    (indexed ? indexed.some((u) => keyOf(u) === cursor.key) : ctx.store.getUser(pool.id, cursor.key) !== undefined);
  const page = pageOf(candidates, matches, keyOf, limit, cursor, cursorLive);
  return {
    Users: page.items.map((u) => userType(u, attributesToGet)),
    ...(page.next ? { PaginationToken: encodeCursor(page.next) } : {}),
  };
});
