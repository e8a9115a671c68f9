// Running one of a pool's triggers: the function its LambdaConfig names, with the event fields
// every trigger shares, and what the function did turned into Cognito's errors. Each trigger's
// own request, response and effects live beside this file (one per trigger family).
import type { RequestFacts, Services } from "../../context.js";
import { errors } from "../../core/errors.js";
import type { StoredPool } from "../../store/types.js";

/** What running a trigger uses: the trigger service, and the caller's SDK (callerContext). */
export type TriggerContext = Pick<Services, "triggers"> & Pick<RequestFacts, "userAgent">;

/** A user-pool trigger, by the name Cognito's error messages give it. */
export type TriggerName =
  | "PreSignUp"
  | "PostConfirmation"
  | "PreAuthentication"
  | "PostAuthentication"
  | "PreTokenGeneration"
  | "CustomMessage"
  | "UserMigration"
  | "DefineAuthChallenge"
  | "CreateAuthChallenge"
  | "VerifyAuthChallengeResponse"
  | "CustomEmailSender"
  | "CustomSMSSender"
  | "InboundFederation";

/** The function ARN the pool's LambdaConfig names for `name`, if any. */
export function triggerArn(pool: StoredPool, name: TriggerName): string | undefined {
  const config = pool.pool.LambdaConfig;
  if (!config) return undefined;
  switch (name) {
    case "PreTokenGeneration":
      // PreTokenGenerationConfig (event versions 1-3) wins over the older PreTokenGeneration member.
      return config.PreTokenGenerationConfig?.LambdaArn ?? config.PreTokenGeneration;
    case "CustomEmailSender":
      return config.CustomEmailSender?.LambdaArn;
    case "CustomSMSSender":
      return config.CustomSMSSender?.LambdaArn;
    case "InboundFederation":
      return config.InboundFederation?.LambdaArn;
    default:
      return config[name];
  }
}

/** One invocation of a trigger: what the event says beyond what every event says. */
export interface TriggerCall {
  readonly name: TriggerName;
  /** `PreSignUp_SignUp`, `TokenGeneration_Authentication`, ... */
  readonly triggerSource: string;
  /** The event's `userName`: the user's username (a UUID in email- or phone-as-username pools). */
  readonly userName: string;
  /** The app client of the call; admin operations without one send `CLIENT_ID_NOT_APPLICABLE`. */
  readonly clientId: string | undefined;
  readonly request: Readonly<Record<string, unknown>>;
  /** The response Cognito pre-fills (each member null or its default). */
  readonly response: Readonly<Record<string, unknown>>;
  /** The event's `version`: `1`, or the pre token generation event's `2` / `3`. */
  readonly version?: string;
}

/** A returned event's `response`, for the trigger's own file to read (readBoolean and friends). */
export type TriggerResponse = Readonly<Record<string, unknown>>;

/**
 * The event Cognito sends: `version`, `triggerSource`, `region`, `userPoolId`, `userName`,
 * `callerContext`, `request`, `response`, in Cognito's order.
 */
export function triggerEvent(ctx: Pick<TriggerContext, "userAgent">, pool: StoredPool, call: TriggerCall) {
  return {
    version: call.version ?? "1",
    triggerSource: call.triggerSource,
    region: pool.id.slice(0, pool.id.indexOf("_")),
    userPoolId: pool.id,
    userName: call.userName,
    callerContext: {
      awsSdkVersion: sdkVersion(ctx.userAgent),
      clientId: call.clientId ?? "CLIENT_ID_NOT_APPLICABLE",
    },
    request: call.request,
    response: call.response,
  };
}

/**
 * Runs the pool's `call.name` trigger, if it has one, and answers the returned event's
 * `response` (an empty one when the function left it out); undefined when the pool has no such
 * trigger. Throws what Cognito answers when the function fails (UserLambdaValidationException
 * with its message), cannot be invoked or times out (UnexpectedLambdaException), or answers no
 * event (InvalidLambdaResponseException).
 */
export async function runTrigger(
  ctx: TriggerContext,
  pool: StoredPool,
  call: TriggerCall,
): Promise<TriggerResponse | undefined> {
  const arn = triggerArn(pool, call.name);
  if (!arn) return undefined;
  const outcome = await ctx.triggers.invoke(arn, triggerEvent(ctx, pool, call), call.triggerSource);
  switch (outcome.kind) {
    case "function-error":
      throw errors.lambdaFailed(call.name, outcome.errorMessage);
    case "timeout":
      throw errors.lambdaNotInvoked(call.name, "Socket timeout while invoking Lambda function");
    case "not-invocable":
      throw errors.lambdaNotInvoked(call.name, outcome.reason);
    case "invalid-json":
      throw errors.lambdaInvalidJson();
    case "returned": {
      const event = outcome.payload;
      if (!isObject(event)) throw errors.lambdaInvalidJson();
      const response = event.response;
      if (response === undefined || response === null) return {};
      if (!isObject(response)) throw errors.lambdaUnrecognizable();
      return response;
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A boolean member of a response (null and absent read as undefined); any other type is refused. */
export function readBoolean(response: TriggerResponse, key: string): boolean | undefined {
  const value = response[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw errors.lambdaUnrecognizable();
  return value;
}

/** A string member of a response (null and absent read as undefined); any other type is refused. */
export function readString(response: TriggerResponse, key: string): string | undefined {
  const value = response[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw errors.lambdaUnrecognizable();
  return value;
}

/** A list of strings in a response (null and absent read as undefined); any other shape is refused. */
export function readStringList(response: TriggerResponse, key: string): string[] | undefined {
  const value = response[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw errors.lambdaUnrecognizable();
  return value as string[];
}

/** A string-to-string map in a response (null and absent read as undefined); any other shape is refused. */
export function readStringMap(response: TriggerResponse, key: string): Record<string, string> | undefined {
  const value = response[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === "string"))
    throw errors.lambdaUnrecognizable();
  return value as Record<string, string>;
}

/** An object member of a response (null and absent read as undefined); any other type is refused. */
export function readObject(response: TriggerResponse, key: string): TriggerResponse | undefined {
  const value = response[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw errors.lambdaUnrecognizable();
  return value;
}

/**
 * The name-to-value map of attributes that events carry (`request.userAttributes`), from a
 * user's attribute list: `sub` first, as Cognito lists them, and `cognito:user_status` where the
 * caller adds it.
 */
export function attributeMap(attributes: readonly { Name?: string; Value?: string }[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const a of attributes) if (a.Name !== undefined) map[a.Name] = a.Value ?? "";
  return map;
}

/**
 * `callerContext.awsSdkVersion`: the caller's SDK as Cognito names it (`aws-sdk-js-3.654.0`),
 * read from its User-Agent; `aws-sdk-unknown-unknown` when it names none.
 */
function sdkVersion(userAgent: string | undefined): string {
  if (!userAgent) return "aws-sdk-unknown-unknown";
  // A client sends the same User-Agent on every call: the last one's answer is kept.
  if (userAgent === lastUserAgent) return lastSdkVersion;
  lastSdkVersion = parseSdkVersion(userAgent);
  lastUserAgent = userAgent;
  return lastSdkVersion;
}

let lastUserAgent: string | undefined;
let lastSdkVersion = "aws-sdk-unknown-unknown";

function parseSdkVersion(userAgent: string): string {
  const m =
    /\baws-sdk-(js|java|go|dotnet|php|ruby|cpp|rust|kotlin|swift)\/([\w.-]+)/i.exec(userAgent) ??
    /\b(?:Boto3|botocore)\/([\w.-]+)/i.exec(userAgent);
  if (!m) return "aws-sdk-unknown-unknown";
  return m.length === 3 ? `aws-sdk-${m[1]!.toLowerCase()}-${m[2]}` : `aws-sdk-python-${m[1]}`;
}
