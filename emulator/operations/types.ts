// What an operation is.
import type { OperationContext, RequestFacts, Services } from "../context.js";
import type { OperationName } from "../model/index.js";

/** A service an operation may use. */
type ServiceName = keyof Services;

/** What a handler that uses the services `U` is handed: the request's facts and those services. */
type HandlerContext<U extends ServiceName> = RequestFacts & Pick<Services, U>;

/**
 * One Cognito operation: validated input in, wire-form output (or a thrown CognitoError) out.
 * `N` is the API's operation names: the user pools' by default, the identity pools' for
 * AWSCognitoIdentityService (operations/identity/types.ts), so both APIs share this one shape.
 */
export interface Operation<I = never, O = unknown, N extends string = OperationName> {
  readonly name: N;
  /** The services the handler uses, directly or through the domain functions it calls. */
  readonly uses: readonly ServiceName[];
  handle(input: I, ctx: OperationContext): O | Promise<O>;
}

/** What a `define…Operation` is: name, services and handler in, an operation of the API named by `N` out. */
export type OperationDefiner<N extends string> = <const U extends readonly ServiceName[], I, O>(
  name: N,
  uses: U,
  handle: (input: I, ctx: HandlerContext<U[number]>) => O | Promise<O>,
) => Operation<I, O, N>;

/**
 * The `define…Operation` of the API whose operation names are `N`: the names are narrowed per
 * API, so a handler file cannot name another API's operation.
 */
export function operationDefiner<N extends string>(): OperationDefiner<N> {
  return (name, uses, handle) => ({ name, uses, handle });
}

/**
 * Declares an operation and the services it uses: the handler's `ctx` has only those (and the
 * request's facts: region, requestId, sourceIp, baseUrl), so the compiler refuses a handler, or a
 * domain function it calls, that reaches for a service the list leaves out. The list says at a
 * glance what a call may do: `store` (read or write records), `locks` (wait for another request
 * about the same user), `inbox` (send a message), `keys` (sign a token), `clock`, `config`, `log`.
 * Input types come from the AWS SDK; outputs use `Wire<...>` of the SDK response type so
 * timestamps are epoch seconds.
 *
 * @example
 * export default defineOperation("DescribeUserPool", ["store"], (input: DescribeUserPoolRequest, ctx) => ...);
 */
export const defineOperation: OperationDefiner<OperationName> = operationDefiner();

/** Registered operations by name, built once at start-up. */
export type Registry = ReadonlyMap<OperationName, Operation<never, unknown>>;
