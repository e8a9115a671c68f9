// Which role credentials are for (docs/identity-pools.md): a guest gets the unauthenticated
// role; a signed-in identity gets what the role mapping of its provider chooses (Token: the
// token's cognito:preferred_role or its only cognito:roles entry, or CustomRoleArn among them;
// Rules: the first rule whose claim matches), the authenticated role when no mapping applies,
// and AmbiguousRoleResolution decides when a mapping finds nothing.
import type { MappingRule, RoleMapping } from "@aws-sdk/client-cognito-identity";
import { identityErrors } from "../../core/errors.js";
import type { StoredIdentityPool } from "../../store/identity-types.js";
import type { DeepReadonly } from "../../store/types.js";
import type { IdentityAccess } from "./identities.js";
import { isPoolProvider } from "./pools.js";

/** Rules a Rules mapping may have (the API reference: up to 25 per identity provider). */
const MAX_RULES = 25;

/** SetIdentityPoolRoles' checks of RoleMappings that the model cannot express. */
export function checkRoleMappings(pool: StoredIdentityPool, mappings: Readonly<Record<string, RoleMapping>>): void {
  for (const [key, mapping] of Object.entries(mappings)) {
    if (!isPoolProvider(pool, key)) throw identityErrors.roleMappingProviderUnknown(key);
    if (mapping.AmbiguousRoleResolution === undefined) throw identityErrors.roleMappingNeedsResolution(key);
    if (mapping.Type === "Rules") {
      const rules = mapping.RulesConfiguration?.Rules ?? [];
      if (rules.length === 0 || rules.length > MAX_RULES) throw identityErrors.roleMappingRules(key);
    }
  }
}

/** The role ARN credentials for this access are issued for; throws when the pool gives none. */
export function chooseRole(pool: StoredIdentityPool, access: IdentityAccess, customRoleArn?: string): string {
  const roles = pool.roles ?? {};
  if (!access.authenticated) return roles.unauthenticated ?? fail();
  for (const login of access.verified) {
    const key = login.mappingKeys.find((k) => pool.roleMappings?.[k] !== undefined);
    if (key === undefined) continue;
    const mapping = pool.roleMappings![key]!;
    const chosen = mapping.Type === "Token" ? fromToken(login.claims, customRoleArn) : fromRules(mapping, login.claims);
    if (chosen !== undefined) return chosen;
    if (mapping.AmbiguousRoleResolution === "Deny") throw identityErrors.ambiguousRoleDenied(key);
    return roles.authenticated ?? fail();
  }
  return roles.authenticated ?? fail();
}

function fail(): never {
  throw identityErrors.noRoleConfigured();
}

/** Token mapping: CustomRoleArn if the token lists it, else cognito:preferred_role, else the only role. */
function fromToken(claims: Readonly<Record<string, unknown>>, customRoleArn: string | undefined): string | undefined {
  const listed = Array.isArray(claims["cognito:roles"])
    ? (claims["cognito:roles"] as unknown[]).filter((r): r is string => typeof r === "string")
    : [];
  if (customRoleArn !== undefined) {
    if (!listed.includes(customRoleArn)) throw identityErrors.customRoleNotInToken();
    return customRoleArn;
  }
  const preferred = claims["cognito:preferred_role"];
  if (typeof preferred === "string") return preferred;
  return listed.length === 1 ? listed[0] : undefined;
}

/** Rules mapping: the first rule (in order) whose claim matches. */
function fromRules(mapping: DeepReadonly<RoleMapping>, claims: Readonly<Record<string, unknown>>): string | undefined {
  return mapping.RulesConfiguration?.Rules?.find((rule) => ruleMatches(rule, claims))?.RoleARN;
}

/**
 * One rule against the token's claims. A multi-valued claim (cognito:groups) matches when one of
 * its values does (NotEqual: when none equals the value); a claim the token lacks matches no rule.
 */
function ruleMatches(rule: DeepReadonly<MappingRule>, claims: Readonly<Record<string, unknown>>): boolean {
  const raw = claims[rule.Claim!];
  if (raw === undefined || raw === null) return false;
  const values = (Array.isArray(raw) ? raw : [raw]).map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
  const want = rule.Value!;
  switch (rule.MatchType) {
    case "Equals":
      return values.includes(want);
    case "Contains":
      return values.some((v) => v.includes(want));
    case "StartsWith":
      return values.some((v) => v.startsWith(want));
    case "NotEqual":
      return !values.includes(want);
    default:
      return false;
  }
}
