// The JSON 1.1 front door: `POST /` with X-Amz-Target, validated against the model before any
// operation runs. Everything that goes wrong becomes a CognitoError, rendered by renderError.
import type { Context } from "hono";
import type { OperationContext, Services } from "../context.js";
import { CognitoError, errors } from "../core/errors.js";
import { identityModel } from "../model/identity.js";
import { model, type OperationDef, type OperationName, type ServiceModel } from "../model/index.js";
import { buildIdentityRegistry } from "../operations/identity/index.js";
import type { Registry } from "../operations/types.js";
import { apiFaultRequest, applyFault } from "./faults.js";
import { baseUrlOf, requestHeader, sourceIpOf } from "./headers.js";
import { maskByShape } from "./mask.js";
import { parseSigV4, scopeRegion } from "./sigv4.js";
import { ModelValidator } from "./validate.js";

/** What the request log (http/request-logging.ts) records of a call besides status and duration. */
export interface LogFacts {
  /**
   * `SignUp`; another service's operations carry its prefix (`cognito-identity:GetId`). Unset for
   * routes that are not the API: the log names them `METHOD /path`.
   */
  operation?: string | undefined;
  poolId?: string | undefined;
  clientId?: string | undefined;
  /** The request body with its secrets masked (protocol/mask.ts); set at log level debug only. */
  request?: unknown;
  /** The answer's body, masked; set at debug only, and only for a success (errors are read off the answer). */
  response?: unknown;
}

declare module "hono" {
  interface ContextVariableMap {
    /** The x-amzn-RequestId of the request, set by the first middleware (app.ts). */
    requestId: string;
    /** Set by the dispatcher (and the managed login routes) for the request log; absent for other routes. */
    logFacts: LogFacts;
  }
}

const PREFIX = `${model.metadata.targetPrefix}.`;
const JSON_TYPES = ["application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json"];

/**
 * One API served at `POST /`, chosen by its X-Amz-Target prefix: the user pools'
 * (AWSCognitoIdentityProviderService) and the identity pools' (AWSCognitoIdentityService,
 * docs/identity-pools.md), each validated against its own model and answered by its own registry.
 */
interface Api {
  prefix: string;
  /** How the request log names an operation (`SignUp`, `cognito-identity:GetId`). */
  logName: (name: string) => string;
  operations: Readonly<Record<string, OperationDef>>;
  shapes: ServiceModel["shapes"];
  validator: ModelValidator;
  registry: ReadonlyMap<string, { handle(input: never, ctx: OperationContext): unknown }>;
}

/** Builds the handler for `POST /`. */
export function cognitoApi(services: Services, registry: Registry) {
  const apis: readonly Api[] = [
    {
      prefix: PREFIX,
      logName: (name) => name,
      operations: model.operations,
      shapes: model.shapes,
      validator: new ModelValidator(model),
      registry,
    },
    {
      prefix: `${identityModel.metadata.targetPrefix}.`,
      logName: (name) => `cognito-identity:${name}`,
      operations: identityModel.operations,
      shapes: identityModel.shapes,
      validator: new ModelValidator(identityModel),
      registry: buildIdentityRegistry(),
    },
  ];
  const debug = services.config.logLevel === "debug";
  return async (c: Context): Promise<Response> => {
    // From the context, not c.res: touching c.res before the answer costs a web stream per request.
    const requestId = c.get("requestId") ?? "";
    const target = requestHeader(c, "x-amz-target");
    if (!target) throw errors.missingTarget();
    const api = apis.find((a) => target.startsWith(a.prefix));
    if (!api) throw errors.unknownTarget(truncate(target), PREFIX);
    const name = target.slice(api.prefix.length);
    const def = Object.hasOwn(api.operations, name) ? api.operations[name] : undefined;
    if (!def) throw errors.unknownOperation(truncate(name));
    const facts: LogFacts = { operation: api.logName(name) };
    c.set("logFacts", facts);

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
    // Before validation, so the debug log shows the body of a request the model refuses too.
    if (debug) facts.request = maskByShape(input, def.input, api.shapes);
    const result = api.validator.validate(def.input, input);
    if (!result.ok) {
      throw errors.validation(result.kind, result.message);
    }
    if (typeof input === "object" && input !== null) whoIsCalled(facts, input as Record<string, unknown>, services);

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

    // Fault rules and the quota mode (services/faults.ts, docs/faults.md): one boolean while neither is set.
    if (services.faults.armed && api.prefix === PREFIX) {
      const fault = services.faults.forOperation(name as OperationName, () => apiFaultRequest(input, facts), region);
      if (fault) {
        const answer = await applyFault(c, services, fault);
        if (answer) return answer;
      }
    }

    const operation = api.registry.get(name);
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
    if (debug) facts.response = maskByShape(body, def.output, api.shapes);
    // A replacer takes JSON.stringify off its fast path (twice the time); most answers hold no Date.
    return c.body(hasDate(body) ? JSON.stringify(body, wireReplacer) : JSON.stringify(body), 200, {
      "content-type": "application/x-amz-json-1.1",
    });
  };
}

/**
 * The pool and client a validated call names, for the request log: `UserPoolId` (or
 * `IdentityPoolId`), else the pool of its `ClientId`, else the issuer of its `AccessToken`; map
 * lookups and one base64 decode at most.
 */
function whoIsCalled(facts: LogFacts, input: Record<string, unknown>, services: Services): void {
  const clientId = typeof input.ClientId === "string" ? input.ClientId : undefined;
  facts.clientId = clientId;
  if (typeof input.UserPoolId === "string") facts.poolId = input.UserPoolId;
  // The identity pools' API names its pool so (`us-east-1:<uuid>`, validated by its model).
  else if (typeof input.IdentityPoolId === "string") facts.poolId = input.IdentityPoolId;
  else if (clientId !== undefined) facts.poolId = services.store.getClient(clientId)?.poolId;
  else if (typeof input.AccessToken === "string") facts.poolId = poolOfToken(input.AccessToken);
}

/** A pool id as the log may print it (the model's UserPoolIdType, region first). */
const POOL_ID = /^[a-z]{2}(-gov)?-[a-z]+-\d_[0-9a-zA-Z]+$/;

/**
 * The pool in a token's `iss` (`https://cognito-idp.<region>.amazonaws.com/<poolId>` or a local
 * issuer ending the same way), unverified: it only labels a log line, and a forged token's
 * issuer is printed only when it looks like a pool id.
 */
export function poolOfToken(token: string): string | undefined {
  const a = token.indexOf(".");
  const b = a < 0 ? -1 : token.indexOf(".", a + 1);
  if (b < 0 || b - a > 16_384) return undefined;
  const payload = Buffer.from(token.slice(a + 1, b), "base64url").toString("utf8");
  const iss = /"iss"\s*:\s*"([^"]{1,512})"/.exec(payload)?.[1];
  if (iss === undefined) return undefined;
  const pool = iss.slice(iss.lastIndexOf("/") + 1);
  return POOL_ID.test(pool) ? pool : undefined;
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

function truncate(s: string): string {
  return s.length > 128 ? `${s.slice(0, 128)}...` : s;
}
