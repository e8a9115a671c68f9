// What an operation is.
import type { OperationContext } from "../context.js";
import type { OperationName } from "../model/index.js";

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

/** Registered operations by name, built once at start-up. */
export type Registry = ReadonlyMap<OperationName, Operation<never, unknown>>;
