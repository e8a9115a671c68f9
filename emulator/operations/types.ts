// What an operation is, and what it is given.

import type { AdjustableClock } from "../core/clock.js";
import type { TwinConfig } from "../config.js";
import type { OperationName } from "../model/index.js";
import type { Inbox } from "../services/inbox.js";
import type { KeyedLock } from "../services/locks.js";
import type { Durability } from "../persistence/journal.js";
import type { Store } from "../store/store.js";
import type { KeyService } from "../tokens/keys.js";

/** A line logger; `debug` is dropped unless the log level asks for it. */
export interface Logger {
  info(line: string): void;
  debug(line: string): void;
  error(line: string): void;
}

/** The long-lived services of one emulator instance, built once by createApp. */
export interface Services {
  readonly config: TwinConfig;
  readonly store: Store;
  readonly clock: AdjustableClock;
  readonly inbox: Inbox;
  readonly locks: KeyedLock;
  readonly keys: KeyService;
  readonly log: Logger;
  /** The data directory's journal, when state is persisted (`--data-dir`). */
  readonly durability?: Durability;
}

/** What one call of an operation sees. */
export interface OperationContext extends Services {
  /** Region from the SigV4 credential scope, else the configured default. */
  readonly region: string;
  readonly requestId: string;
  /** The caller's address, for events and rate limits. */
  readonly sourceIp?: string;
  /** Where the caller reached the emulator (`http://host:port`), for local-issuer tokens. */
  readonly baseUrl: string;
}

/** One Cognito operation: validated input in, wire-form output (or a thrown CognitoError) out. */
export interface Operation<I = never, O = unknown> {
  readonly name: OperationName;
  handle(input: I, ctx: OperationContext): O | Promise<O>;
}

/**
 * Declares an operation. Input types come from the AWS SDK; outputs use `Wire<...>` of the SDK
 * response type so timestamps are epoch seconds.
 *
 * @example
 * export default defineOperation("DescribeUserPool", (input: DescribeUserPoolRequest, ctx) => ...);
 */
export function defineOperation<I, O>(
  name: OperationName,
  handle: (input: I, ctx: OperationContext) => O | Promise<O>,
): Operation<I, O> {
  return { name, handle };
}
