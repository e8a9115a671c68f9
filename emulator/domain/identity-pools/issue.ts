// What identity pools hand out: AWS credentials (GetCredentialsForIdentity) and OpenID tokens
// (GetOpenIdToken, GetOpenIdTokenForDeveloperIdentity), with Cognito Identity's claims
// (docs/identity-pools.md, docs/decisions/0031-identity-pools.md).
import type { Credentials } from "@aws-sdk/client-cognito-identity";
import type { Services } from "../../context.js";
import type { Wire } from "../../core/wire.js";
import type { IssuedCredentials } from "../../services/identity-credentials.js";
import type { StoredIdentityPool } from "../../store/identity-types.js";
import { signRs512 } from "../../tokens/identity-keys.js";
import type { IdentityAccess } from "./identities.js";
import type { VerifiedLogin } from "./logins.js";
import { identityPoolArn } from "./pools.js";

/** How long credentials last: an hour, as Cognito's GetCredentialsForIdentity gives. */
const CREDENTIALS_SECONDS = 3600;
/** How long GetOpenIdToken's token lasts (the API reference: 10 minutes). */
export const OPEN_ID_TOKEN_SECONDS = 600;
/** The issuer of Cognito Identity's OpenID tokens. */
const ISSUER = "https://cognito-identity.amazonaws.com";

/** The `iss` of the pools' OpenID tokens: Cognito's, or the emulator's `/_identity` in `--issuer local` mode. */
export function identityIssuer(ctx: Pick<Services, "config">, baseUrl: string): string {
  return ctx.config.issuer === "local" ? `${ctx.config.publicUrl ?? baseUrl}/_identity` : ISSUER;
}

/** Issues (and remembers) credentials for an identity and role. */
export function issueCredentials(
  ctx: Pick<Services, "clock" | "identityCredentials">,
  pool: StoredIdentityPool,
  access: IdentityAccess,
  roleArn: string,
): { issued: IssuedCredentials; wire: Wire<Credentials> } {
  const now = ctx.clock.now();
  const issued = ctx.identityCredentials.issue({
    issuedAt: now,
    expiresAt: now + CREDENTIALS_SECONDS * 1000,
    identityId: access.identity.id,
    identityPoolId: pool.id,
    roleArn,
    authenticated: access.authenticated,
    logins: access.verified.map((v) => v.provider),
    principalTags: principalTags(pool, access.verified),
  });
  return {
    issued,
    wire: {
      AccessKeyId: issued.accessKeyId,
      SecretKey: issued.secretKey,
      SessionToken: issued.sessionToken,
      Expiration: issued.expiresAt / 1000,
    },
  };
}

/**
 * The session tags of the pool's principal tag map for these logins: tag -> the claim's value.
 * UseDefaults maps a user pool's `aud` to `client` and `sub` to `username`, as Cognito's defaults do.
 */
function principalTags(pool: StoredIdentityPool, verified: readonly VerifiedLogin[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const login of verified) {
    const map = pool.principalTagMaps?.[login.provider];
    if (!map) continue;
    const mapping: Record<string, string> = map.useDefaults ? { client: "aud", username: "sub" } : {};
    Object.assign(mapping, map.tags);
    for (const [tag, claim] of Object.entries(mapping)) {
      const value = login.claims[claim];
      if (typeof value === "string") tags[tag] = value;
      else if (typeof value === "number" || typeof value === "boolean") tags[tag] = String(value);
    }
  }
  return tags;
}

/** What an OpenID token says about its identity besides the standard claims. */
export interface OpenIdFacts {
  identityId: string;
  /** `["authenticated", <provider>, <provider>:<who>...]` or `["unauthenticated"]`. */
  amr: string[];
  seconds: number;
  /** GetOpenIdTokenForDeveloperIdentity's PrincipalTags. */
  principalTags?: Readonly<Record<string, string>> | undefined;
}

/** The `amr` entries of verified logins: the provider, and the provider with who signed in. */
export function amrOf(access: IdentityAccess): string[] {
  if (!access.authenticated) return ["unauthenticated"];
  const amr = ["authenticated"];
  for (const v of access.verified) {
    if (v.kind === "openId") {
      // This service's own token: its providers carry over.
      const carried = Array.isArray(v.claims.amr) ? (v.claims.amr as unknown[]) : [];
      for (const a of carried) if (typeof a === "string" && !amr.includes(a)) amr.push(a);
    } else amr.push(v.provider, `${v.provider}:CognitoSignIn:${v.subject}`);
  }
  return amr;
}

/** Signs an OpenID token for an identity of `pool`, claims in Cognito's order. */
export async function issueOpenIdToken(
  ctx: Pick<Services, "clock" | "config" | "identityKeys">,
  baseUrl: string,
  pool: StoredIdentityPool,
  facts: OpenIdFacts,
): Promise<string> {
  const key = await ctx.identityKeys.keyFor(pool.id);
  const iat = Math.floor(ctx.clock.now() / 1000);
  const payload: Record<string, unknown> = {
    sub: facts.identityId,
    aud: pool.id,
    amr: facts.amr,
    iss: identityIssuer(ctx, baseUrl),
    "https://cognito-identity.amazonaws.com/identity-pool-arn": identityPoolArn(ctx.config.accountId, pool.id),
  };
  if (facts.principalTags && Object.keys(facts.principalTags).length > 0) {
    // Session tags as STS's AssumeRoleWithWebIdentity reads them from a web identity token.
    payload["https://aws.amazon.com/tags"] = {
      principal_tags: Object.fromEntries(Object.entries(facts.principalTags).map(([k, v]) => [k, [v]])),
    };
  }
  payload.exp = iat + facts.seconds;
  payload.iat = iat;
  return signRs512(key, payload);
}
