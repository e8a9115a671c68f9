// What an operation of the identity pools' API (AWSCognitoIdentityService) is: the same shape as
// a user-pool operation (../types.ts), named by the identity model.
import type { OperationContext } from "../../context.js";
import type { IdentityOperationName } from "../../model/identity.js";
import type { HandlerContext, ServiceName } from "../types.js";

/** One Cognito Identity operation: validated input in, wire-form output (or a thrown CognitoError) out. */
export interface IdentityOperation<I = never, O = unknown> {
  readonly name: IdentityOperationName;
  /** The services the handler uses, directly or through the domain functions it calls. */
  readonly uses: readonly ServiceName[];
  handle(input: I, ctx: OperationContext): O | Promise<O>;
}

/**
 * Declares an identity operation and the services it uses, as defineOperation does for the
 * user-pool API. Input types come from `@aws-sdk/client-cognito-identity`; outputs use `Wire<...>`.
 *
 * @example
 * export default defineIdentityOperation("DescribeIdentityPool", ["store"], (input: DescribeIdentityPoolInput, ctx) => ...);
 */
export function defineIdentityOperation<const U extends readonly ServiceName[], I, O>(
  name: IdentityOperationName,
  uses: U,
  handle: (input: I, ctx: HandlerContext<U[number]>) => O | Promise<O>,
): IdentityOperation<I, O> {
  return { name, uses, handle };
}

/** Registered identity operations by name, built once at start-up. */
export type IdentityRegistry = ReadonlyMap<IdentityOperationName, IdentityOperation<never, unknown>>;
