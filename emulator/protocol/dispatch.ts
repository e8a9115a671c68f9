// The JSON 1.1 front door: `POST /` with X-Amz-Target, validated against the model before any
// operation runs. Everything that goes wrong becomes a CognitoError, rendered by renderError.
import type { Context } from "hono";
import { model, type OperationName } from "../model/index.js";
import type { Operation, OperationContext, Services } from "../operations/types.js";
import { CognitoError } from "./errors.js";
import { parseSigV4 } from "./sigv4.js";
import { ModelValidator } from "./validate.js";

const PREFIX = `${model.metadata.targetPrefix}.`;
const JSON_TYPES = ["application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json"];

/** Registered operations by name, built once at start-up. */
export type Registry = ReadonlyMap<OperationName, Operation<never, unknown>>;

/** Builds the handler for `POST /`. */
export function cognitoApi(services: Services, registry: Registry) {
  const validator = new ModelValidator(model);
  return async (c: Context): Promise<Response> => {
    const requestId = c.res.headers.get("x-amzn-RequestId") ?? "";
    const target = c.req.header("x-amz-target");
    if (!target) throw new CognitoError("UnknownOperationException", "Missing X-Amz-Target header.");
    if (!target.startsWith(PREFIX)) throw new CognitoError("UnknownOperationException", `Unknown target ${truncate(target)}: expected ${PREFIX}<Operation>.`);
    const name = target.slice(PREFIX.length);
    const def = Object.hasOwn(model.operations, name) ? model.operations[name as OperationName] : undefined;
    if (!def) throw new CognitoError("UnknownOperationException", `Unknown operation ${truncate(name)}.`);

    const contentType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (contentType && !JSON_TYPES.includes(contentType)) {
      throw new CognitoError("SerializationException", `Unsupported Content-Type ${truncate(contentType)}: send application/x-amz-json-1.1.`);
    }

    const text = await c.req.text();
    let input: unknown = {};
    if (text.trim() !== "") {
      try {
        input = JSON.parse(text);
      } catch {
        throw new CognitoError("SerializationException", "Request body is not valid JSON.");
      }
    }
    const result = validator.validate(def.input, input);
    if (!result.ok) {
      throw new CognitoError(result.kind === "serialization" ? "SerializationException" : "InvalidParameterException", result.message);
    }

    let region = services.config.region;
    if (!def.unsigned) {
      const auth = c.req.header("authorization");
      if (auth) {
        const scope = parseSigV4(auth);
        if (!scope) throw new CognitoError("IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' in AWS4-HMAC-SHA256 form.");
        region = scope.region;
      } else if (!services.config.allowUnsigned) {
        throw new CognitoError("MissingAuthenticationTokenException", "Missing Authentication Token");
      }
    }

    const operation = registry.get(name as OperationName);
    if (!operation) {
      throw new CognitoError("UnsupportedOperationException", `cognito-twin does not implement ${name} yet. See docs/coverage.md for the operations it serves.`);
    }
    let baseUrl: string | undefined;
    const ctx: OperationContext = {
      ...services,
      region,
      requestId,
      // Parsing the URL costs more than most operations; only local issuers need it.
      get baseUrl() {
        return (baseUrl ??= baseUrlOf(c));
      },
    };
    const output = await operation.handle(input as never, ctx);
    return new Response(JSON.stringify(output ?? {}, wireReplacer), {
      status: 200,
      headers: { "content-type": "application/x-amz-json-1.1" },
    });
  };
}

/** Dates that slip through become epoch seconds, the JSON 1.1 timestamp format. */
function wireReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

function baseUrlOf(c: Context): string {
  const url = new URL(c.req.url);
  return `${url.protocol}//${c.req.header("host") ?? url.host}`;
}

function truncate(s: string): string {
  return s.length > 128 ? `${s.slice(0, 128)}...` : s;
}
