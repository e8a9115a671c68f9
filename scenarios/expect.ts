// Small assertions for scenarios: readable failures that say what Cognito or the app answered.
import type { CognitoResult } from "../client/cognito-client.js";

/** A scenario's expectation that did not hold. */
export class ExpectationFailed extends Error {
  override readonly name = "ExpectationFailed";
}

/** Fails with the message unless the condition holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ExpectationFailed(message);
}

/** Fails unless `actual === expected`. */
export function equal<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new ExpectationFailed(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

/** The value of a successful result; fails with Cognito's error otherwise. */
export function ok<T>(result: CognitoResult<T>, what: string): T {
  if (!result.ok) throw new ExpectationFailed(`${what} failed: ${result.error.type}: ${result.error.message}`);
  return result.value;
}

/** Fails unless the result is a failure of this type (and message, when given). */
export function fails(
  result: CognitoResult<unknown>,
  type: string,
  message?: string | RegExp,
): { type: string; message: string } {
  if (result.ok) throw new ExpectationFailed(`expected ${type}, but the call succeeded`);
  const e = result.error;
  if (e.type !== type)
    throw new ExpectationFailed(
      `expected ${type}${message ? ` (${String(message)})` : ""}, got ${e.type}: ${e.message}`,
    );
  if (typeof message === "string" && e.message !== message)
    throw new ExpectationFailed(`${type} message: expected ${show(message)}, got ${show(e.message)}`);
  if (message instanceof RegExp && !message.test(e.message))
    throw new ExpectationFailed(`${type} message ${show(e.message)} does not match ${String(message)}`);
  return e;
}

/** Reads a JSON response, failing unless its status is the expected one. */
export async function status(res: Response, expected: number, what: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (res.status !== expected)
    throw new ExpectationFailed(`${what}: expected HTTP ${expected}, got ${res.status} ${text.slice(0, 300)}`);
  if (text === "") return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ExpectationFailed(`${what}: body is not JSON: ${text.slice(0, 200)}`);
  }
}

/** The `error.type` of an app error body. */
export function errorType(body: Record<string, unknown>): string | undefined {
  const e = body.error as { type?: unknown } | undefined;
  return typeof e?.type === "string" ? e.type : undefined;
}

function show(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}
