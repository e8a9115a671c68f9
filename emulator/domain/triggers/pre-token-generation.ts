// The pre token generation trigger: the event Cognito sends before it mints a user's tokens (or
// a client-credentials access token), in the event version the pool's PreTokenGenerationConfig
// names, and what the function's answer changes in the tokens. The changes are handed to
// tokens/issue.ts as data (TokenCustomization), which applies them before signing; the claims
// Cognito protects are left out here. docs/triggers.md ("Sign-in"), docs/decisions/0017.
import type { Services } from "../../context.js";
import type { StoredClient, StoredPool, StoredUser } from "../../store/types.js";
import { type ClaimChanges, groupsByPrecedence, type TokenCustomization } from "../../tokens/issue.js";
import { userAttributesOf } from "./authentication.js";
import {
  readObject,
  readString,
  readStringList,
  readStringMap,
  runTrigger,
  type TriggerContext,
  type TriggerResponse,
  triggerArn,
} from "./run.js";

/**
 * The event's `triggerSource`: what the tokens are minted for. `TokenGeneration_AuthenticateDevice`
 * is the end of a remembered device's sign-in (DEVICE_SRP_AUTH), for the device flows to use.
 */
export type TokenGenerationSource =
  | "TokenGeneration_HostedAuth"
  | "TokenGeneration_Authentication"
  | "TokenGeneration_NewPasswordChallenge"
  | "TokenGeneration_AuthenticateDevice"
  | "TokenGeneration_RefreshTokens"
  | "TokenGeneration_ClientCredentials";

/** What the event is built from besides the user: why the tokens are minted and their scopes. */
export interface TokenGenerationCall {
  readonly source: TokenGenerationSource;
  /** The scopes of the access token being minted (`aws.cognito.signin.user.admin` for the API). */
  readonly scopes: readonly string[];
  /** The request's ClientMetadata, where Cognito passes it (challenge answers, refreshes). */
  readonly clientMetadata?: Readonly<Record<string, string>> | undefined;
}

type Ctx = TriggerContext & Pick<Services, "store">;

/** The API sign-in's access token scope, the `scopes` of its events. */
export const API_SCOPES: readonly string[] = ["aws.cognito.signin.user.admin"];

/** The event version the pool's trigger takes: `1` (V1_0, and the legacy PreTokenGeneration ARN), `2` or `3`. */
function eventVersion(pool: StoredPool): "1" | "2" | "3" {
  const version = pool.pool.LambdaConfig?.PreTokenGenerationConfig?.LambdaVersion;
  if (version === "V2_0") return "2";
  if (version === "V3_0") return "3";
  return "1";
}

/**
 * Claims no function may add, change or suppress (Cognito's "excluded claims"): the token's
 * identity, audience, times and ids. Asking for them changes nothing; Cognito drops such a
 * change rather than failing the sign-in (docs/decisions/0017, "Sign-in").
 */
const PROTECTED_CLAIMS = new Set([
  "acr",
  "amr",
  "at_hash",
  "aud",
  "auth_time",
  "azp",
  "client_id",
  "cognito:username",
  "device_key",
  "event_id",
  "exp",
  "iat",
  "identities",
  "iss",
  "jti",
  "nbf",
  "nonce",
  "origin_jti",
  "scope",
  "sub",
  "token_use",
  "version",
]);

/** The `cognito:` claims a function may set or suppress: the group claims. */
const GROUP_CLAIMS = new Set(["cognito:groups", "cognito:roles", "cognito:preferred_role"]);

/** Id token claims that take only a string (or the boolean they already are), never a list or object. */
const SCALAR_ID_CLAIMS = new Set(["email_verified", "phone_number_verified", "updated_at", "address"]);

function changeable(name: string, token: "id" | "access"): boolean {
  if (PROTECTED_CLAIMS.has(name)) return false;
  // The access token's `username` is the user's identity there, as `cognito:username` is in the id token.
  if (token === "access" && name === "username") return false;
  return !name.startsWith("cognito:") || GROUP_CLAIMS.has(name);
}

/** The claims of `add` that Cognito lets a function set in `token`. */
function allowedAdditions(
  add: Readonly<Record<string, unknown>> | undefined,
  token: "id" | "access",
  clientId: string,
): Record<string, unknown> | undefined {
  if (!add) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(add)) {
    if (value === null || value === undefined) continue;
    // An access token may name its client as its audience, and nothing else.
    if (name === "aud" && token === "access") {
      if (value === clientId) out.aud = value;
      continue;
    }
    // Developer-only attributes may be suppressed (they are never in tokens), not added.
    if (!changeable(name, token) || name.startsWith("dev:")) continue;
    if (token === "id" && SCALAR_ID_CLAIMS.has(name) && typeof value === "object") continue;
    out[name] = value;
  }
  return out;
}

function allowedSuppressions(names: readonly string[] | undefined, token: "id" | "access"): string[] | undefined {
  return names?.filter((name) => changeable(name, token));
}

/** Scopes as the `scope` claim can hold them: no spaces inside one. */
function scopeList(names: readonly string[] | undefined): string[] | undefined {
  return names?.filter((s) => s !== "" && !/\s/.test(s));
}

/** `groupOverrideDetails`: present (even empty), it replaces the group claims; absent or null, they stay. */
function groupOverride(details: TriggerResponse): TokenCustomization["groups"] {
  const g = readObject(details, "groupOverrideDetails");
  if (!g) return undefined;
  return {
    groups: readStringList(g, "groupsToOverride") ?? [],
    roles: readStringList(g, "iamRolesToOverride") ?? [],
    preferredRole: readString(g, "preferredRole"),
  };
}

/** A token's changes in a version 2 or 3 answer (`idTokenGeneration`, `accessTokenGeneration`). */
function tokenChanges(
  details: TriggerResponse,
  key: "idTokenGeneration" | "accessTokenGeneration",
  clientId: string,
): (ClaimChanges & { scopesToAdd?: string[] | undefined; scopesToSuppress?: string[] | undefined }) | undefined {
  const g = readObject(details, key);
  if (!g) return undefined;
  const token = key === "idTokenGeneration" ? "id" : "access";
  return {
    add: allowedAdditions(readObject(g, "claimsToAddOrOverride"), token, clientId),
    suppress: allowedSuppressions(readStringList(g, "claimsToSuppress"), token),
    ...(token === "access"
      ? {
          scopesToAdd: scopeList(readStringList(g, "scopesToAdd")),
          scopesToSuppress: scopeList(readStringList(g, "scopesToSuppress")),
        }
      : {}),
  };
}

/** The request's `groupConfiguration`: the user's groups (by precedence), their roles and the preferred one. */
function groupConfiguration(ctx: Pick<Services, "store">, user: StoredUser) {
  const groups = groupsByPrecedence(ctx, user);
  const roles: string[] = [];
  for (const name of groups) {
    const role = ctx.store.getGroup(user.poolId, name)?.group.RoleArn;
    if (role && !roles.includes(role)) roles.push(role);
  }
  // The role of the group with the lowest precedence that has one, as cognito:preferred_role.
  return { groupsToOverride: groups, iamRolesToOverride: roles, preferredRole: roles[0] ?? null };
}

/**
 * Runs the pool's pre token generation trigger for tokens about to be minted for `user`, and
 * answers what it changes in them (undefined when the pool has no such trigger). Version 1
 * customises the id token (and the groups of both tokens); versions 2 and 3 also the access
 * token and its scopes. Throws Cognito's trigger errors: nothing is minted then.
 */
export async function preTokenGeneration(
  ctx: Ctx,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  call: TokenGenerationCall,
): Promise<TokenCustomization | undefined> {
  if (!triggerArn(pool, "PreTokenGeneration")) return undefined;
  const version = eventVersion(pool);
  const clientId = client.client.ClientId!;
  const metadata = call.clientMetadata ? { clientMetadata: { ...call.clientMetadata } } : {};
  const request =
    version === "1"
      ? { userAttributes: userAttributesOf(user), groupConfiguration: groupConfiguration(ctx, user), ...metadata }
      : {
          userAttributes: userAttributesOf(user),
          scopes: [...call.scopes],
          groupConfiguration: groupConfiguration(ctx, user),
          ...metadata,
        };
  const response = await runTrigger(ctx, pool, {
    name: "PreTokenGeneration",
    triggerSource: call.source,
    userName: user.username,
    clientId,
    request,
    response: version === "1" ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
    version,
  });
  if (!response) return undefined;
  if (version === "1") {
    const details = readObject(response, "claimsOverrideDetails");
    if (!details) return undefined;
    return {
      idToken: {
        // Version 1 claims are strings: anything else is an answer Cognito cannot read.
        add: allowedAdditions(readStringMap(details, "claimsToAddOrOverride"), "id", clientId),
        suppress: allowedSuppressions(readStringList(details, "claimsToSuppress"), "id"),
      },
      groups: groupOverride(details),
    };
  }
  const details = readObject(response, "claimsAndScopeOverrideDetails");
  if (!details) return undefined;
  return {
    idToken: tokenChanges(details, "idTokenGeneration", clientId),
    accessToken: tokenChanges(details, "accessTokenGeneration", clientId),
    groups: groupOverride(details),
  };
}

/**
 * The client-credentials grant's trigger: only a version 3 trigger is run for machine-to-machine
 * tokens (`TokenGeneration_ClientCredentials`), with no user: `userName` is the client id, no
 * attributes and no groups. Answers the access token's changes.
 */
export async function clientCredentialsTokenGeneration(
  ctx: TriggerContext,
  pool: StoredPool,
  client: StoredClient,
  scopes: readonly string[],
  clientMetadata?: Readonly<Record<string, string>>,
): Promise<TokenCustomization | undefined> {
  if (!triggerArn(pool, "PreTokenGeneration") || eventVersion(pool) !== "3") return undefined;
  const clientId = client.client.ClientId!;
  const response = await runTrigger(ctx, pool, {
    name: "PreTokenGeneration",
    triggerSource: "TokenGeneration_ClientCredentials",
    userName: clientId,
    clientId,
    request: {
      userAttributes: {},
      scopes: [...scopes],
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
      ...(clientMetadata ? { clientMetadata: { ...clientMetadata } } : {}),
    },
    response: { claimsAndScopeOverrideDetails: null },
    version: "3",
  });
  const details = response && readObject(response, "claimsAndScopeOverrideDetails");
  if (!details) return undefined;
  return { accessToken: tokenChanges(details, "accessTokenGeneration", clientId) };
}
