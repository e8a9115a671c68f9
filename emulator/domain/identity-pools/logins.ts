// Verifying the Logins map of GetId, GetCredentialsForIdentity, GetOpenIdToken and UnlinkIdentity
// (docs/identity-pools.md): a user pool's ID token must be signed by this emulator's key of that
// pool, unexpired on the emulator's clock, issued by the provider its key names, for a client the
// identity pool lists with it; the identity pools' own OpenID token (`cognito-identity.amazonaws.com`,
// the developer-authenticated flow) must be this emulator's, for this pool. Other providers
// (Google, Facebook, OIDC and SAML providers) cannot be reached from here and are refused.
import { decodeJwt } from "jose";
import type { Services } from "../../context.js";
import { identityErrors } from "../../core/errors.js";
import type { StoredIdentityPool } from "../../store/identity-types.js";
import { rememberedClaims, verifiedIdTokenClaims } from "../../tokens/id-signature.js";
import { verifiedRs512Claims } from "../../tokens/identity-keys.js";
import { USER_POOL_PROVIDER } from "./pools.js";

/** The Logins key of the identity pools' own OpenID tokens. */
const COGNITO_IDENTITY_PROVIDER = "cognito-identity.amazonaws.com";

/** One login that passed its checks. */
export interface VerifiedLogin {
  /** `userPool`: a user pool's ID token; `openId`: this service's own token, naming an identity. */
  kind: "userPool" | "openId";
  /** The Logins key. */
  provider: string;
  /** Who the token is about: the user's `sub`, or (openId) the identity id. */
  subject: string;
  /** The token's claims, for role mappings and principal tags. */
  claims: Readonly<Record<string, unknown>>;
  /** Role mapping keys to try, most specific first (`<provider>:<client id>`, then `<provider>`). */
  mappingKeys: string[];
}

type Ctx = Pick<Services, "store" | "keys" | "clock" | "config" | "identityKeys">;

/** Verifies every login of the map (none when absent); throws Cognito Identity's errors. */
export async function verifyLogins(
  ctx: Ctx,
  pool: StoredIdentityPool,
  logins: Readonly<Record<string, string>> | undefined,
): Promise<VerifiedLogin[]> {
  const out: VerifiedLogin[] = [];
  for (const [provider, token] of Object.entries(logins ?? {})) {
    if (provider === COGNITO_IDENTITY_PROVIDER) out.push(await verifyOwnToken(ctx, pool, token));
    else if (pool.cognitoIdentityProviders?.some((p) => p.ProviderName === provider))
      out.push(await verifyUserPoolToken(ctx, pool, provider, token));
    else if (isExternalProvider(pool, provider)) throw identityErrors.providerUnreachable(provider);
    else throw identityErrors.unsupportedProvider();
  }
  return out;
}

/** A provider the pool lists that only an outside service could vouch for. */
function isExternalProvider(pool: StoredIdentityPool, provider: string): boolean {
  if (pool.supportedLoginProviders && Object.hasOwn(pool.supportedLoginProviders, provider)) return true;
  if (pool.openIdConnectProviderArns?.some((arn) => arn.endsWith(`:oidc-provider/${provider}`))) return true;
  return pool.samlProviderArns?.includes(provider) === true;
}

async function verifyUserPoolToken(
  ctx: Ctx,
  pool: StoredIdentityPool,
  provider: string,
  token: string,
): Promise<VerifiedLogin> {
  const [, region, userPoolId] = USER_POOL_PROVIDER.exec(provider) ?? [];
  let unverified: Readonly<Record<string, unknown>> | undefined = rememberedClaims(ctx, token);
  try {
    unverified ??= decodeJwt(token);
  } catch {
    throw identityErrors.notAnOpenIdToken();
  }
  // The issuer first, as Cognito words it; in `--issuer local` mode the pool's tokens carry the
  // emulator's URL ending in the pool id (tokens/issuer.ts), which names the same provider.
  const iss = unverified.iss;
  const awsIssuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  const localIssuer = ctx.config.issuer === "local" && typeof iss === "string" && iss.endsWith(`/${userPoolId}`);
  if (iss !== awsIssuer && !localIssuer) throw identityErrors.issuerMismatch();
  const claims = await verifiedIdTokenClaims(ctx, userPoolId!, token);
  if (!claims) throw identityErrors.signatureUnverified();
  const now = Math.floor(ctx.clock.now() / 1000);
  if (typeof claims.exp !== "number") throw identityErrors.missingClaim("exp");
  if (now >= claims.exp) throw identityErrors.tokenExpired(now, claims.exp);
  // An access token carries client_id, not aud: identity pools take the ID token.
  if (typeof claims.aud !== "string") throw identityErrors.missingClaim("aud");
  if (claims.token_use !== "id") throw identityErrors.notAnOpenIdToken();
  if (typeof claims.sub !== "string") throw identityErrors.missingClaim("sub");
  const entry = pool.cognitoIdentityProviders?.find((p) => p.ProviderName === provider && p.ClientId === claims.aud);
  if (!entry) throw identityErrors.wrongAudience();
  if (entry.ServerSideTokenCheck) {
    // The user pool's word that the token still stands: the user is there and enabled, and the
    // sign-in it came from was not ended by a global sign-out or a revoked refresh token.
    const user = ctx.store.getUserBySub(userPoolId!, claims.sub);
    const jti = claims.origin_jti;
    const session = typeof jti === "string" ? ctx.store.getSession(jti) : undefined;
    if (!user?.enabled || (typeof jti === "string" && (!session || session.revoked)))
      throw identityErrors.tokenRevoked();
  }
  return {
    kind: "userPool",
    provider,
    subject: claims.sub,
    claims,
    mappingKeys: [`${provider}:${claims.aud}`, provider],
  };
}

/** This service's own OpenID token (GetOpenIdToken, GetOpenIdTokenForDeveloperIdentity) for `pool`. */
async function verifyOwnToken(ctx: Ctx, pool: StoredIdentityPool, token: string): Promise<VerifiedLogin> {
  let unverified: Record<string, unknown>;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw identityErrors.notAnOpenIdToken();
  }
  if (unverified.aud !== pool.id) throw identityErrors.wrongAudience();
  if (!pool.key) throw identityErrors.signatureUnverified();
  const claims = await verifiedRs512Claims(await ctx.identityKeys.keyFor(pool.id), token);
  if (!claims) throw identityErrors.signatureUnverified();
  const now = Math.floor(ctx.clock.now() / 1000);
  if (typeof claims.exp !== "number") throw identityErrors.missingClaim("exp");
  if (now >= claims.exp) throw identityErrors.tokenExpired(now, claims.exp);
  if (typeof claims.sub !== "string") throw identityErrors.missingClaim("sub");
  return { kind: "openId", provider: COGNITO_IDENTITY_PROVIDER, subject: claims.sub, claims, mappingKeys: [] };
}
