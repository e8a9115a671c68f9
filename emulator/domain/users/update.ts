// Changing a user, as one unit of work. Every change to an existing user goes through updateUser:
// it holds the user's lock, so requests about one user run one at a time, changes the latest
// record (a copy of it: the store's records are read-only), and writes it back. A change may await
// (a password hash) without losing anyone else's update, since nobody else changes the user
// meanwhile; only deletions (AdminDeleteUser, DeleteUserPool) and state imports take no user
// lock, and updateUser checks for those before it writes. One change writes several users at
// once: a user migration moving aliases (forceAliasCreation) holds each holder's lock (lockUser)
// and writes their copies with the new user, so that a refusal leaves all of them as they were.
//
// Locks are taken in one order: a username's sign-up lock (lockUsername), then a user's lock
// (several users' locks in the order of their subs).
import type { Services } from "../../context.js";
import { errors } from "../../core/errors.js";
import type { StoredPool, StoredUser, UserRecord } from "../../store/types.js";
import type { MessageDrafts } from "./codes.js";
import { cloneUser } from "./records.js";

/**
 * Runs `fn` holding the user's lock: after every earlier request about the same user has
 * finished. For work on a user that is not a change of its record (DeleteUser); changes use
 * updateUser, which takes this lock itself (it is not re-entrant: never call updateUser in `fn`).
 */
export function lockUser<T>(
  ctx: Pick<Services, "locks">,
  pool: Pick<StoredPool, "id">,
  sub: string,
  fn: () => T | Promise<T>,
): Promise<T> {
  return ctx.locks.run(`${pool.id}/${sub}`, fn);
}

/**
 * Runs `fn` holding the lock of a username that may be about to be created (SignUp,
 * AdminCreateUser), so that two requests cannot both find the name free and both create it.
 * Spellings the pool treats as the same name share the lock.
 */
export function lockUsername<T>(
  ctx: Pick<Services, "locks" | "store">,
  pool: Pick<StoredPool, "id">,
  name: string,
  fn: () => T | Promise<T>,
): Promise<T> {
  return ctx.locks.run(`${pool.id}/signup/${ctx.store.usernameKey(pool.id, name)}`, fn);
}

declare const unchangedBrand: unique symbol;

/** What a change answers when it has found nothing to change: nothing is written. */
export class Unchanged<R> {
  /** Tells the class apart from any object with a `result` (types only). */
  declare readonly [unchangedBrand]: true;
  constructor(readonly result: R) {}
}

/** A change's answer when there is nothing to write; updateUser then answers `result`. */
export function unchanged(): Unchanged<undefined>;
export function unchanged<R>(result: R): Unchanged<R>;
export function unchanged<R>(result?: R): Unchanged<R | undefined> {
  return new Unchanged(result);
}

/** How updateUser treats a change. */
export interface UpdateOptions<R> {
  /**
   * By default updateUser stamps `updatedAt` (UserLastModifiedDate) with the clock. False leaves
   * it to the change: for a change Cognito does not show as a modification of the user (group
   * membership, sign-in counters, a code sent), or one that stamps it itself.
   */
  touch?: boolean;
  /**
   * What to do when the user no longer exists (deleted, or replaced by a state import, before or
   * while the change ran): the error to throw, or `unchanged(result)` to answer without writing.
   * UserNotFoundException by default.
   */
  gone?: () => Error | Unchanged<R>;
  /**
   * For a change that sends codes (passing these drafts to issueCode): the change is first
   * rehearsed on a throwaway copy without the lock, which composes its messages (the custom
   * message trigger runs then, holding nothing), and then made under the lock with those
   * messages (MessageDrafts). The change must touch nothing but its copy until it sends.
   */
  draftMessages?: MessageDrafts;
}

/**
 * Changes one user as one unit of work: under the user's lock, reads the current record (by sub),
 * hands a copy of it to `change`, stamps `updatedAt` (unless UpdateOptions.touch), writes the copy,
 * and answers what `change` answered. `change` may await and may throw; when it throws, or
 * answers `unchanged(...)`, nothing is written. The copy is the only mutable user there is: a
 * change that must be written even though the call fails (a wrong code counts towards the
 * attempt limit) answers its error, and the caller throws it once the copy is written.
 */
export async function updateUser<R>(
  ctx: Pick<Services, "store" | "clock" | "locks">,
  pool: Pick<StoredPool, "id">,
  user: Pick<StoredUser, "sub">,
  change: (user: UserRecord) => R | Unchanged<R> | Promise<R | Unchanged<R>>,
  options: UpdateOptions<R> = {},
): Promise<R> {
  const { sub } = user;
  const whenGone = (): R => {
    const answer = options.gone ? options.gone() : errors.userNotFound();
    if (answer instanceof Unchanged) return answer.result;
    throw answer;
  };
  const drafts = options.draftMessages;
  const before = drafts && ctx.store.getUserBySub(pool.id, sub);
  if (drafts && before) {
    drafts.rehearsing = true;
    try {
      await change(cloneUser(before));
    } catch {
      // The change under the lock meets the same refusal (or, the user changed, its own).
    } finally {
      drafts.rehearsing = false;
    }
  }
  return lockUser(ctx, pool, sub, async () => {
    const current = ctx.store.getUserBySub(pool.id, sub);
    if (!current) return whenGone();
    const copy = cloneUser(current);
    const pending = change(copy);
    // A change that does not await is applied and written with no await in between.
    const outcome = pending instanceof Promise ? await pending : pending;
    if (outcome instanceof Unchanged) return outcome.result;
    // While the change awaited, the user may have been deleted (or the pool, or the state
    // replaced): writing the copy would bring back a record that is gone.
    if (ctx.store.getUserBySub(pool.id, sub) !== current) return whenGone();
    if (options.touch !== false) copy.updatedAt = ctx.clock.now();
    ctx.store.putUser(copy);
    return outcome;
  });
}
