// The JSON 1.1 front door: `POST /` with X-Amz-Target, validated against the model before any
// operation runs. Everything that goes wrong becomes a CognitoError, rendered by renderError.
import type { Context } from "hono";
import type { OperationContext, Services } from "../context.js";
import { CognitoError, errors } from "../core/errors.js";
import { model, type OperationName } from "../model/index.js";
import type { Registry } from "../operations/types.js";
import { requestHeader, sourceIpOf } from "./headers.js";
import { parseSigV4, scopeRegion } from "./sigv4.js";
import { ModelValidator } from "./validate.js";

declare module "hono" {
  interface ContextVariableMap {
    /** The x-amzn-RequestId of the request, set by the first middleware (app.ts). */
    requestId: string;
  }
}

const PREFIX = `${model.metadata.targetPrefix}.`;
const JSON_TYPES = ["application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json"];

/** Builds the handler for `POST /`. */
export function cognitoApi(services: Services, registry: Registry) {
  const validator = new ModelValidator(model);
  return async (c: Context): Promise<Response> => {
    // From the context, not c.res: touching c.res before the answer costs a web stream per request.
    const requestId = c.get("requestId") ?? "";
    const target = requestHeader(c, "x-amz-target");
    if (!target) throw errors.missingTarget();
    if (!target.startsWith(PREFIX)) throw errors.unknownTarget(truncate(target), PREFIX);
    const name = target.slice(PREFIX.length);
    const def = Object.hasOwn(model.operations, name) ? model.operations[name as OperationName] : undefined;
    if (!def) throw errors.unknownOperation(truncate(name));

    const contentType = (requestHeader(c, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (contentType && !JSON_TYPES.includes(contentType)) {
      throw errors.unsupportedContentType(truncate(contentType));
    }

    let text: string;
    try {
      text = await c.req.text();
    } catch (e) {
      // A client that hangs up or times out mid-body (--request-timeout): its fault, not ours.
      if (e instanceof CognitoError) throw e;
      throw errors.bodyUnreadable();
    }
    let input: unknown = {};
    if (text.trim() !== "") {
      try {
        input = JSON.parse(text);
      } catch {
        throw errors.bodyNotJson();
      }
    }
    const result = validator.validate(def.input, input);
    if (!result.ok) {
      throw errors.validation(result.kind, result.message);
    }

    let region = services.config.region;
    if (!def.unsigned) {
      const auth = requestHeader(c, "authorization");
      if (auth) {
        const scope = parseSigV4(auth);
        if (!scope) throw errors.incompleteSignature();
        region = scopeRegion(scope);
      } else if (!services.config.allowUnsigned) {
        throw errors.missingAuthenticationToken();
      }
    }

    const operation = registry.get(name as OperationName);
    if (!operation) {
      throw errors.operationNotImplemented(name);
    }
    const ctx: OperationContext = {
      ...services,
      region,
      requestId,
      baseUrl: baseUrlOf(c),
      // The connection's peer, as Cognito records the caller's IP (a device's last_ip_used).
      sourceIp: sourceIpOf(c),
      // Browser SDKs (Amplify) name themselves in x-amz-user-agent: browsers keep User-Agent.
      userAgent: requestHeader(c, "x-amz-user-agent") ?? requestHeader(c, "user-agent"),
    };
    const output = await operation.handle(input as never, ctx);
    // c.body keeps the headers middleware prepared (the request id) and the string body that
    // @hono/node-server writes in one go.
    const body = output ?? {};
    // A replacer takes JSON.stringify off its fast path (twice the time); most answers hold no Date.
    return c.body(hasDate(body) ? JSON.stringify(body, wireReplacer) : JSON.stringify(body), 200, {
      "content-type": "application/x-amz-json-1.1",
    });
  };
}

/** Dates that slip through become epoch seconds, the JSON 1.1 timestamp format. */
function wireReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

function hasDate(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (value instanceof Date) return true;
  if (Array.isArray(value)) return value.some(hasDate);
  for (const key in value) if (hasDate((value as Record<string, unknown>)[key])) return true;
  return false;
}

function baseUrlOf(c: Context): string {
  // The request URL starts with the scheme the server was reached by; parsing it (new URL)
  // would cost more than most operations, so only a request without a Host header pays that.
  const host = requestHeader(c, "host");
  const url = c.req.url;
  if (host) return `${url.startsWith("https:") ? "https:" : "http:"}//${host}`;
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

function truncate(s: string): string {
  return s.length > 128 ? `${s.slice(0, 128)}...` : s;
}
