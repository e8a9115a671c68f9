// Identity pools: their records, what Describe answers, and the settings checks the model cannot
// express (docs/identity-pools.md).
import type { CognitoIdentityProvider, IdentityPool } from "@aws-sdk/client-cognito-identity";
import type { Services } from "../../context.js";
import { identityErrors } from "../../core/errors.js";
import type { IdentityPoolRecord, StoredIdentityPool } from "../../store/identity-types.js";

/** The identity pool with this id, or Cognito Identity's ResourceNotFoundException. */
export function requireIdentityPool(ctx: Pick<Services, "store">, id: string): StoredIdentityPool {
  const pool = ctx.store.getIdentityPool(id);
  if (!pool) throw identityErrors.identityPoolNotFound(id);
  return pool;
}

/** `arn:aws:cognito-identity:<region>:<account>:identitypool/<id>`, the region being the id's. */
export function identityPoolArn(accountId: string, id: string): string {
  return `arn:aws:cognito-identity:${regionOf(id)}:${accountId}:identitypool/${id}`;
}

/** The identity pool an ARN names (TagResource and friends), or ResourceNotFoundException. */
export function identityPoolByArn(ctx: Pick<Services, "store" | "config">, arn: string): StoredIdentityPool {
  const m = /^arn:aws[\w-]*:cognito-identity:[^:]*:\d*:identitypool\/(.+)$/.exec(arn);
  const pool = m ? ctx.store.getIdentityPool(m[1]!) : undefined;
  if (!pool || identityPoolArn(ctx.config.accountId, pool.id) !== arn) throw identityErrors.identityPoolNotFound(arn);
  return pool;
}

/** The region part of an identity or identity pool id (`us-east-1:...`). */
export function regionOf(id: string): string {
  const colon = id.indexOf(":");
  return colon < 0 ? id : id.slice(0, colon);
}

/** A user pool provider name: `cognito-idp.<region>.amazonaws.com/<user pool id>`. */
export const USER_POOL_PROVIDER = /^cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/([\w-]+_[0-9a-zA-Z]+)$/;

/** The settings an identity pool takes from CreateIdentityPool and UpdateIdentityPool. */
export type IdentityPoolSettings = Omit<IdentityPool, "IdentityPoolId">;

/**
 * The record's settings from the API's, checked: user pool providers must be named as Cognito
 * names them, and a developer provider name, once set, stays (`previous` is the pool updated).
 */
export function settingsRecord(
  input: IdentityPoolSettings,
  previous?: StoredIdentityPool,
): Omit<IdentityPoolRecord, "id" | "createdAt"> {
  for (const p of input.CognitoIdentityProviders ?? []) {
    if (p.ProviderName !== undefined && !USER_POOL_PROVIDER.test(p.ProviderName))
      throw identityErrors.invalidCognitoProviderName(p.ProviderName);
  }
  if (
    previous?.developerProviderName !== undefined &&
    input.DeveloperProviderName !== undefined &&
    input.DeveloperProviderName !== previous.developerProviderName
  )
    throw identityErrors.developerProviderImmutable();
  const developerProviderName = input.DeveloperProviderName ?? previous?.developerProviderName;
  return {
    name: input.IdentityPoolName!,
    allowUnauthenticated: input.AllowUnauthenticatedIdentities === true,
    ...(input.AllowClassicFlow !== undefined ? { allowClassicFlow: input.AllowClassicFlow } : {}),
    ...(input.SupportedLoginProviders ? { supportedLoginProviders: { ...input.SupportedLoginProviders } } : {}),
    ...(developerProviderName !== undefined ? { developerProviderName } : {}),
    ...(input.OpenIdConnectProviderARNs ? { openIdConnectProviderArns: [...input.OpenIdConnectProviderARNs] } : {}),
    ...(input.CognitoIdentityProviders
      ? {
          cognitoIdentityProviders: input.CognitoIdentityProviders.map(
            (p): CognitoIdentityProvider => ({
              ...(p.ProviderName !== undefined ? { ProviderName: p.ProviderName } : {}),
              ...(p.ClientId !== undefined ? { ClientId: p.ClientId } : {}),
              ServerSideTokenCheck: p.ServerSideTokenCheck === true,
            }),
          ),
        }
      : {}),
    ...(input.SamlProviderARNs ? { samlProviderArns: [...input.SamlProviderARNs] } : {}),
    ...(input.IdentityPoolTags ? { tags: { ...input.IdentityPoolTags } } : {}),
  };
}

/** What DescribeIdentityPool (and Create, Update) answer for a pool. */
export function identityPoolType(pool: StoredIdentityPool): IdentityPool {
  return {
    IdentityPoolId: pool.id,
    IdentityPoolName: pool.name,
    AllowUnauthenticatedIdentities: pool.allowUnauthenticated,
    ...(pool.allowClassicFlow !== undefined ? { AllowClassicFlow: pool.allowClassicFlow } : {}),
    ...(pool.supportedLoginProviders ? { SupportedLoginProviders: { ...pool.supportedLoginProviders } } : {}),
    ...(pool.developerProviderName !== undefined ? { DeveloperProviderName: pool.developerProviderName } : {}),
    ...(pool.openIdConnectProviderArns ? { OpenIdConnectProviderARNs: [...pool.openIdConnectProviderArns] } : {}),
    ...(pool.cognitoIdentityProviders
      ? { CognitoIdentityProviders: pool.cognitoIdentityProviders.map((p) => ({ ...p })) }
      : {}),
    ...(pool.samlProviderArns ? { SamlProviderARNs: [...pool.samlProviderArns] } : {}),
    IdentityPoolTags: { ...(pool.tags ?? {}) },
  };
}

/** A copy of a stored pool that can be changed and put back. */
export function clonePool(pool: StoredIdentityPool): IdentityPoolRecord {
  return structuredClone(pool) as IdentityPoolRecord;
}

/**
 * Whether a name is one of the pool's providers, as role mappings and principal tag maps name
 * them: `<user pool provider>:<client id>` or a user pool provider the pool lists, a social
 * provider of SupportedLoginProviders, an OIDC provider's host or a SAML provider's ARN.
 */
export function isPoolProvider(pool: StoredIdentityPool, name: string): boolean {
  const colon = name.lastIndexOf(":");
  if (colon > 0 && USER_POOL_PROVIDER.test(name.slice(0, colon))) {
    const provider = name.slice(0, colon);
    const client = name.slice(colon + 1);
    return pool.cognitoIdentityProviders?.some((p) => p.ProviderName === provider && p.ClientId === client) === true;
  }
  if (pool.cognitoIdentityProviders?.some((p) => p.ProviderName === name)) return true;
  if (pool.supportedLoginProviders && Object.hasOwn(pool.supportedLoginProviders, name)) return true;
  if (pool.openIdConnectProviderArns?.some((arn) => arn.endsWith(`:oidc-provider/${name}`))) return true;
  return pool.samlProviderArns?.includes(name) === true;
}
