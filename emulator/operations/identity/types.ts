// What an operation of the identity pools' API (AWSCognitoIdentityService) is: the user-pool
// operation's shape (../types.ts), generic over the names, here over the identity model's.
import type { IdentityOperationName } from "../../model/identity.js";
import { type Operation, type OperationDefiner, operationDefiner } from "../types.js";

/** One Cognito Identity operation: validated input in, wire-form output (or a thrown CognitoError) out. */
export type IdentityOperation<I = never, O = unknown> = Operation<I, O, IdentityOperationName>;

/**
 * Declares an identity operation and the services it uses, as defineOperation does for the
 * user-pool API. Input types come from `@aws-sdk/client-cognito-identity`; outputs use `Wire<...>`.
 *
 * @example
 * export default defineIdentityOperation("DescribeIdentityPool", ["store"], (input: DescribeIdentityPoolInput, ctx) => ...);
 */
export const defineIdentityOperation: OperationDefiner<IdentityOperationName> = operationDefiner();

/** Registered identity operations by name, built once at start-up. */
export type IdentityRegistry = ReadonlyMap<IdentityOperationName, IdentityOperation<never, unknown>>;
