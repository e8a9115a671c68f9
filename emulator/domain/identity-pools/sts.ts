// The classic (basic) flow's last step: STS's AssumeRoleWithWebIdentity with an OpenID token of
// one of this emulator's identity pools (GetOpenIdToken, GetOpenIdTokenForDeveloperIdentity), so
// the flow ends in credentials as it does against AWS (docs/identity-pools.md, "The classic flow").
// Only these tokens are taken: the emulator is no general STS. With no IAM here, the identity pool
// stands in for the role's trust policy: a token may assume the role the pool names for its `amr`
// (authenticated or unauthenticated), or, signed in, a role of the pool's rule mappings
// (docs/decisions/0038-sts-classic-flow.md).
import { decodeJwt } from "jose";
import type { Services } from "../../context.js";
import { stsErrors } from "../../core/errors.js";
import { verifiedRs512Claims } from "../../tokens/identity-keys.js";
import { identityIssuer } from "./issue.js";

/** What AssumeRoleWithWebIdentity is given (STS's parameter names). */
export interface AssumeRoleWithWebIdentityInput {
  readonly RoleArn?: string | undefined;
  readonly RoleSessionName?: string | undefined;
  readonly WebIdentityToken?: string | undefined;
  readonly DurationSeconds?: string | undefined;
  /** Given at all (a session policy), refused: see checkInput. */
  readonly policyGiven: boolean;
  readonly ProviderId?: string | undefined;
}

/** What it answers, in STS's element order. */
export interface AssumedRole {
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken: string;
    /** Epoch milliseconds. */
    readonly expiresAt: number;
  };
  readonly subject: string;
  readonly assumedRoleArn: string;
  readonly assumedRoleId: string;
  readonly audience: string;
  readonly provider: string;
}

type Ctx = Pick<Services, "store" | "clock" | "config" | "identityKeys" | "identityCredentials">;

/** STS's bounds on DurationSeconds: 15 minutes to 12 hours (a role's own maximum is IAM's, absent here). */
const MIN_SECONDS = 900;
const MAX_SECONDS = 43_200;
const DEFAULT_SECONDS = 3600;

/** `arn:<partition>:iam::<12 digits>:role/<path/name>`. */
const ROLE_ARN = /^arn:(aws[\w-]*):iam::(\d{12}):role\/(?:[\x21-\x7e]+\/)?([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;

/** The provider STS names for Cognito Identity's tokens. */
const PROVIDER = "cognito-identity.amazonaws.com";

/** Checks the parameters as STS's model bounds them; answers the role's account and name. */
function checkInput(input: AssumeRoleWithWebIdentityInput): {
  roleArn: string;
  session: string;
  token: string;
  seconds: number;
  partition: string;
  account: string;
  roleName: string;
} {
  const roleArn = input.RoleArn;
  const session = input.RoleSessionName;
  const token = input.WebIdentityToken;
  if (roleArn === undefined) throw stsErrors.missing("roleArn");
  if (session === undefined) throw stsErrors.missing("roleSessionName");
  if (token === undefined) throw stsErrors.missing("webIdentityToken");
  if (roleArn.length < 20 || roleArn.length > 2048)
    throw stsErrors.constraint("roleArn", roleArn, "Member must have length between 20 and 2048");
  if (session.length < 2 || session.length > 64)
    throw stsErrors.constraint("roleSessionName", session, "Member must have length between 2 and 64");
  if (!SESSION_NAME.test(session))
    throw stsErrors.constraint(
      "roleSessionName",
      session,
      "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  if (token.length < 4 || token.length > 20_000)
    throw stsErrors.constraint("webIdentityToken", undefined, "Member must have length between 4 and 20000");
  let seconds = DEFAULT_SECONDS;
  if (input.DurationSeconds !== undefined) {
    seconds = /^\d{1,6}$/.test(input.DurationSeconds) ? Number(input.DurationSeconds) : Number.NaN;
    if (!(seconds >= MIN_SECONDS && seconds <= MAX_SECONDS))
      throw stsErrors.constraint(
        "durationSeconds",
        input.DurationSeconds,
        `Member must have value between ${MIN_SECONDS} and ${MAX_SECONDS}`,
      );
  }
  // Nothing here applies a session policy (no credentials are checked by anything): refused
  // rather than taken and ignored.
  if (input.policyGiven)
    throw stsErrors.unsupported(
      "cognito-twin applies no session policies (Policy, PolicyArns): the credentials it issues are checked by nothing (docs/identity-pools.md).",
    );
  if (input.ProviderId !== undefined)
    throw stsErrors.unsupported(
      "ProviderId is for OAuth 2.0 access tokens (Login with Amazon, Facebook); cognito-twin's STS takes its identity pools' OpenID tokens only.",
    );
  const m = ROLE_ARN.exec(roleArn);
  if (!m) throw stsErrors.badRoleArn(roleArn);
  return { roleArn, session, token, seconds, partition: m[1]!, account: m[2]!, roleName: m[3]! };
}

/**
 * Verifies the token (one of this emulator's identity pools', unexpired on its clock), checks the
 * role against the pool, and issues credentials remembered as GetCredentialsForIdentity's are
 * (GET /_twin/identity-credentials). `baseUrl` is the request's, for the `--issuer local` issuer.
 * Throws StsError.
 */
export async function assumeRoleWithWebIdentity(
  ctx: Ctx,
  baseUrl: string,
  input: AssumeRoleWithWebIdentityInput,
): Promise<AssumedRole> {
  const { roleArn, session, token, seconds, partition, account, roleName } = checkInput(input);
  let unverified: Record<string, unknown>;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw stsErrors.notAJwt();
  }
  if (!isOwnIssuer(ctx, baseUrl, unverified.iss)) throw stsErrors.unknownIssuer(String(unverified.iss ?? ""));
  const pool = typeof unverified.aud === "string" ? ctx.store.getIdentityPool(unverified.aud) : undefined;
  if (!pool?.key) throw stsErrors.wrongAudience();
  const claims = await verifiedRs512Claims(await ctx.identityKeys.keyFor(pool.id), token);
  if (!claims) throw stsErrors.badSignature();
  const now = ctx.clock.now();
  if (typeof claims.exp !== "number") throw stsErrors.missingClaim("exp");
  if (Math.floor(now / 1000) >= claims.exp) throw stsErrors.expired(Math.floor(now / 1000), claims.exp);
  if (typeof claims.sub !== "string") throw stsErrors.missingClaim("sub");
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((a): a is string => typeof a === "string") : [];
  const authenticated = amr.includes("authenticated");
  if (!authenticated && !amr.includes("unauthenticated")) throw stsErrors.missingClaim("amr");
  if (!mayAssume(pool, authenticated, roleArn)) throw stsErrors.notAuthorized();

  const issued = ctx.identityCredentials.issue({
    issuedAt: now,
    expiresAt: now + seconds * 1000,
    identityId: claims.sub,
    identityPoolId: pool.id,
    roleArn,
    authenticated,
    // The providers the token's amr names (`authenticated`, then each provider and provider:who).
    logins: amr.filter((a) => a !== "authenticated" && a !== "unauthenticated" && !a.includes(":")),
    principalTags: tokenTags(claims),
  });
  return {
    credentials: {
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretKey,
      sessionToken: issued.sessionToken,
      expiresAt: issued.expiresAt,
    },
    subject: claims.sub,
    assumedRoleArn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/${session}`,
    assumedRoleId: `${roleId(roleArn)}:${session}`,
    audience: pool.id,
    provider: PROVIDER,
  };
}

/**
 * Whether `iss` is this emulator's Cognito Identity issuer. In `--issuer local` mode the issuer is
 * the URL GetOpenIdToken was called at, which may name another host than this request (127.0.0.1
 * there, a container's name here): any `<scheme>://<host>/_identity` is taken, since only the
 * signature, checked next with the key of the pool the token names, proves the token is ours.
 */
function isOwnIssuer(ctx: Pick<Services, "config">, baseUrl: string, iss: unknown): boolean {
  if (typeof iss !== "string") return false;
  if (iss === identityIssuer(ctx, baseUrl)) return true;
  return ctx.config.issuer === "local" && /^https?:\/\/[^/?#]+\/_identity$/.test(iss);
}

/** The stand-in for the role's trust policy: a role the identity pool names for this kind of identity. */
function mayAssume(
  pool: NonNullable<ReturnType<Ctx["store"]["getIdentityPool"]>>,
  authenticated: boolean,
  roleArn: string,
): boolean {
  const roles = pool.roles ?? {};
  if (!authenticated) return roles.unauthenticated === roleArn;
  if (roles.authenticated === roleArn) return true;
  for (const mapping of Object.values(pool.roleMappings ?? {}))
    for (const rule of mapping.RulesConfiguration?.Rules ?? []) if (rule.RoleARN === roleArn) return true;
  return false;
}

/** The session tags a token carries (`https://aws.amazon.com/tags`), first value of each. */
function tokenTags(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const tags = (claims["https://aws.amazon.com/tags"] as { principal_tags?: unknown } | undefined)?.principal_tags;
  const out: Record<string, string> = {};
  if (typeof tags !== "object" || tags === null) return out;
  for (const [k, v] of Object.entries(tags)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === "string") out[k] = first;
  }
  return out;
}

/** A role's unique id as IAM shows it (`AROA` and 17 characters), the same for the same ARN. */
function roleId(roleArn: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  // FNV-1a over the ARN, stretched to 17 characters: stable without storing anything.
  let h = 0x811c9dc5;
  let id = "AROA";
  for (let i = 0; i < 17; i++) {
    for (let j = 0; j < roleArn.length; j++) h = Math.imul(h ^ roleArn.charCodeAt(j), 0x01000193) >>> 0;
    h = Math.imul(h ^ i, 0x01000193) >>> 0;
    id += alphabet[h & 31];
  }
  return id;
}
