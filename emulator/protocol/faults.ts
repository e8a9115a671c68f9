// What a fired fault rule does to a request (services/faults.ts decides which fires): wait, answer
// an error as Cognito or AWS's front door would, drop the connection, or hold the request until
// the client gives up. Used by the API's front door (dispatch.ts) and a pool's domain
// (http/hosted/index.ts). docs/faults.md, docs/decisions/0032-faults-and-quotas.md.
import type { Context } from "hono";
import type { Services } from "../context.js";
import { type FaultDecision, type FaultRequest, MAX_FAULT_LATENCY_MS } from "../services/faults.js";

/**
 * What an in-process request (`app.request()`, no socket) rejects with when a rule drops its
 * connection: not an Error, so it passes Hono's error handler and reaches the caller as a failed
 * fetch would, with Node's code for a reset connection (the AWS SDKs retry ECONNRESET).
 */
export class DroppedConnection {
  readonly name = "DroppedConnection";
  readonly code = "ECONNRESET";
  readonly message = "cognito-twin: a fault rule dropped the connection";
}

/** The node server's socket of a request, when it came over HTTP (@hono/node-server's `env.incoming`). */
function socketOf(c: Context): { destroy(): void } | undefined {
  const env = c.env as { incoming?: { socket?: { destroy(): void } } } | undefined;
  return env?.incoming?.socket;
}

/**
 * Closes the connection without an answer: the socket is destroyed and the node server is told
 * the answer was sent (its `x-hono-already-sent` header), so it writes nothing; the request log
 * shows it as 499 DroppedConnection.
 */
function drop(c: Context): Response {
  const socket = socketOf(c);
  // Not an Error: Hono's onError would turn an Error into an answer (DroppedConnection above).
  if (!socket) throw new DroppedConnection();
  socket.destroy();
  // Never sent; the request log reads it: 499 (nginx's "client closed request") and the cause.
  return new Response(null, {
    status: 499,
    headers: { "x-hono-already-sent": "true", "x-amzn-errortype": "DroppedConnection:" },
  });
}

/**
 * Waits out a fired rule's latency and carries out `drop` and `hang`: answers a Response when the
 * connection is gone (nothing more may be sent), else undefined, and the caller answers the
 * rule's error (or, for `delay`, goes on).
 */
export async function holdFault(
  c: Context,
  services: Pick<Services, "faults">,
  fault: FaultDecision,
): Promise<Response | undefined> {
  const signal = c.req.raw.signal;
  // A client that hung up, or an emulator that is closing, needs no answer.
  if (fault.latencyMs > 0 && (await services.faults.pause(fault.latencyMs, signal)) !== "elapsed") return drop(c);
  if (fault.action === "drop") return drop(c);
  if (fault.action === "hang") {
    // Until the client gives up, the server closes, or the bound passes: then no answer at all.
    await services.faults.pause(MAX_FAULT_LATENCY_MS, signal);
    return drop(c);
  }
  return undefined;
}

/**
 * Acts for a rule fired on an API call: answers a Response when the connection is gone, throws
 * the CognitoError of `error`, `throttle`, `http500` and `http503` (rendered as every error is),
 * and answers undefined for `delay`, when the call goes on.
 */
export async function applyFault(
  c: Context,
  services: Pick<Services, "faults">,
  fault: FaultDecision,
): Promise<Response | undefined> {
  const gone = await holdFault(c, services, fault);
  if (gone || fault.action === "delay") return gone;
  throw fault.error;
}

/**
 * The pool and client an API call names, for rules that name them: what the dispatcher found out
 * for the request log (`UserPoolId`, the pool of `ClientId` or of the access token's issuer;
 * `ClientId`), and the access token's `client_id` (read without verifying: this only picks a
 * rule), decoded only when a rule asks for the client.
 */
export function apiFaultRequest(
  input: unknown,
  known: { readonly poolId?: string | undefined; readonly clientId?: string | undefined },
): FaultRequest {
  let client: string | undefined | null = null;
  return {
    userPoolId: known.poolId,
    get clientId() {
      if (client === null) {
        const token = (input as { AccessToken?: unknown } | null)?.AccessToken;
        client = known.clientId ?? (typeof token === "string" ? tokenClientId(token) : undefined);
      }
      return client;
    },
  };
}

function tokenClientId(token: string): string | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const id = (claims as { client_id?: unknown } | null)?.client_id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
