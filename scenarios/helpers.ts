// Helpers the scenarios share: talking to the client app, reading cookies and claims, and
// choosing a code that is certainly wrong.
import { randomInt } from "node:crypto";
import { decodeJwt, type JWTPayload } from "jose";
import type { CognitoResult } from "../client/cognito-client.js";
import type { CodeRequest, ScenarioContext } from "./types.js";

/** A JSON POST to the app. */
export function postJson(
  ctx: ScenarioContext,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return ctx.app.fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** A form-encoded POST to the app (what the seed's Flask code reads). */
export function postForm(
  ctx: ScenarioContext,
  path: string,
  body: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return ctx.app.fetch(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(body).toString(),
  });
}

/** A GET with a bearer token, a cookie, or neither. */
export function get(
  ctx: ScenarioContext,
  path: string,
  auth: { bearer?: string; cookie?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (auth.bearer !== undefined) headers.authorization = `Bearer ${auth.bearer}`;
  if (auth.cookie !== undefined) headers.cookie = auth.cookie;
  return ctx.app.fetch(path, { headers });
}

/** A Set-Cookie of a response, parsed. */
export interface SetCookie {
  readonly name: string;
  readonly value: string;
  readonly attributes: ReadonlyMap<string, string | true>;
}

/** The Set-Cookie for `name`, if the response sets it. */
export function setCookie(res: Response, name: string): SetCookie | undefined {
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(";").map((p) => p.trim());
    const eq = pair!.indexOf("=");
    if (pair!.slice(0, eq) !== name) continue;
    const attributes = new Map<string, string | true>();
    for (const a of attrs) {
      const i = a.indexOf("=");
      if (i < 0) attributes.set(a.toLowerCase(), true);
      else attributes.set(a.slice(0, i).toLowerCase(), a.slice(i + 1));
    }
    return { name, value: decodeURIComponent(pair!.slice(eq + 1)), attributes };
  }
  return undefined;
}

/** The claims of a JWT, unverified (the scenarios check what the target put in them). */
export function claims(token: string): JWTPayload & Record<string, unknown> {
  return decodeJwt(token) as JWTPayload & Record<string, unknown>;
}

/**
 * A 6-digit code that is not the real one: when codes can be read without a person, the real
 * one plus one; otherwise a random code (wrong with probability 1 - 1e-6).
 */
export async function wrongCode(ctx: ScenarioContext, req: Omit<CodeRequest, "poolId">): Promise<string> {
  if (ctx.codes.automatic) {
    const real = await ctx.codes.code({ ...req, poolId: ctx.poolId });
    if (/^\d+$/.test(real)) return String((Number(real) + 1) % 10 ** real.length).padStart(real.length, "0");
  }
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** Skips the step when the target does not implement an operation the step needs. */
export function skipIfUnsupported(ctx: ScenarioContext, result: CognitoResult<unknown>): void {
  if (!result.ok && result.error.type === "UnsupportedOperationException")
    ctx.skip(`the target does not implement it: ${result.error.message}`);
}

/** Runs an SDK call for a result instead of an exception (for admin calls in steps). */
export async function attempt<T>(fn: () => Promise<T>): Promise<CognitoResult<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    return {
      ok: false,
      error: {
        type: String(err.name ?? "Error"),
        message: String(err.message ?? e),
        status: err.$metadata?.httpStatusCode ?? 502,
      },
    };
  }
}

/** Swaps the payload of a JWT for an edited one, keeping header and signature. */
export function tamper(token: string, edit: (payload: Record<string, unknown>) => Record<string, unknown>): string {
  const [h, p, s] = token.split(".");
  const payload = JSON.parse(Buffer.from(p!, "base64url").toString("utf8")) as Record<string, unknown>;
  return `${h}.${Buffer.from(JSON.stringify(edit(payload))).toString("base64url")}.${s}`;
}
