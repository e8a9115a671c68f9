// Minting Cognito's three tokens. Access and id tokens are RS256 JWTs with the claims (and
// claim order) real Cognito uses; refresh tokens are opaque and live in the session record.
import { createHash } from "node:crypto";
import type { AuthenticationResultType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { signRs256 } from "../crypto/jws.js";
import { newOpaque, newUuid } from "../services/ids.js";
import type { SessionRecord, StoredClient, StoredPool, StoredSession, StoredUser } from "../store/types.js";
import type { TokenDeps } from "./deps.js";
import { issuerFor } from "./issuer.js";
import { tokenLifetimes } from "./lifetimes.js";

type Ctx = Pick<TokenDeps, "store" | "clock" | "keys" | "config" | "baseUrl">;

/** A refresh token: opaque, shaped like Cognito's five-part JWE so it looks the part in logs. */
function newRefreshToken(): string {
  return `eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.${newOpaque(192)}.${newOpaque(9)}.${newOpaque(384)}.${newOpaque(16)}`;
}

/** Groups of the user, ordered by precedence (lowest first; groups without one last). */
export function groupsByPrecedence(ctx: Pick<TokenDeps, "store">, user: StoredUser): string[] {
  const withPrecedence = user.groups.map((name) => ({
    name,
    p: ctx.store.getGroup(user.poolId, name)?.group.Precedence,
  }));
  return withPrecedence
    .sort((a, b) => (a.p ?? Number.MAX_SAFE_INTEGER) - (b.p ?? Number.MAX_SAFE_INTEGER))
    .map((g) => g.name);
}

/**
 * `cognito:roles` (the RoleArn of each of the user's groups that has one) and
 * `cognito:preferred_role` (that of the group of lowest Precedence; none when two groups with
 * different roles share it), as Cognito puts them in id tokens. `groups` is by precedence.
 */
function groupRoleClaims(ctx: Pick<TokenDeps, "store">, poolId: string, groups: readonly string[]) {
  const withRoles = groups
    .map((name) => ctx.store.getGroup(poolId, name)?.group)
    .filter((g) => g?.RoleArn !== undefined);
  if (withRoles.length === 0) return {};
  const [first, second] = withRoles;
  const tied = second !== undefined && second.Precedence === first!.Precedence && second.RoleArn !== first!.RoleArn;
  return {
    ...(tied ? {} : { "cognito:preferred_role": first!.RoleArn }),
    "cognito:roles": [...new Set(withRoles.map((g) => g!.RoleArn!))],
  };
}

/**
 * What an OAuth 2.0 sign-in (the token endpoint, managed login) puts in its tokens besides what
 * an API sign-in does: the granted scopes (and `version: 2`) in the access token, and in the id
 * token the authorize request's nonce and `at_hash`, with the attributes the scopes and the
 * client's ReadAttributes allow (docs/decisions/0016-oauth-endpoints.md).
 */
export interface OAuthGrant {
  /** The granted scopes, in the order the `scope` claim lists them. */
  readonly scopes: readonly string[];
  /** The authorize request's `nonce`, copied into the id token. */
  readonly nonce?: string | undefined;
  /** When the user signed in (epoch seconds): a managed login session's sign-in, not now. */
  readonly authTime?: number | undefined;
}

/** Claims a pre token generation trigger adds (or overrides) and suppresses in one token. */
export interface ClaimChanges {
  /** Claims to set, in the order given; an existing claim keeps its place. */
  readonly add?: Readonly<Record<string, unknown>> | undefined;
  /** Claims to remove: a claim both added and suppressed is suppressed. */
  readonly suppress?: readonly string[] | undefined;
}

/**
 * What a pre token generation trigger changes in the tokens it is run for, as data: the
 * domain (domain/triggers/pre-token-generation.ts) reads the function's answer and leaves out
 * what Cognito does not let a function change (the protected claims); minting applies the rest
 * before signing with the pool's keys.
 */
export interface TokenCustomization {
  readonly idToken?: ClaimChanges | undefined;
  readonly accessToken?:
    | (ClaimChanges & {
        /** Scopes added to the access token's `scope` claim (after those it had). */
        readonly scopesToAdd?: readonly string[] | undefined;
        /** Scopes taken out of `scope`; they win over scopesToAdd. */
        readonly scopesToSuppress?: readonly string[] | undefined;
      })
    | undefined;
  /**
   * Replaces the group claims: `cognito:groups` in both tokens, `cognito:roles` and
   * `cognito:preferred_role` in the id token (an empty list removes the claim). Undefined
   * leaves them as the user's groups make them.
   */
  readonly groups?:
    | {
        readonly groups: readonly string[];
        readonly roles: readonly string[];
        readonly preferredRole?: string | undefined;
      }
    | undefined;
}

/** Claim names of the group claims, which a group override replaces as a whole. */
const GROUP_CLAIMS = ["cognito:groups", "cognito:roles", "cognito:preferred_role"];

/**
 * `claims` with a trigger's changes applied: the group claims replaced (where they stand, after
 * `sub`), then the claims added, then those suppressed, then (access tokens) the scopes. Every
 * caller builds `claims` for this one token, so without a group override they are changed in
 * place rather than copied (a sign-in with a trigger passes here twice).
 */
function customized(
  claims: Record<string, unknown>,
  token: "id" | "access",
  custom: TokenCustomization | undefined,
): Record<string, unknown> {
  if (!custom) return claims;
  let out = claims;
  if (custom.groups) {
    const g = custom.groups;
    const groupClaims: Record<string, unknown> = {
      ...(g.groups.length > 0 ? { "cognito:groups": [...g.groups] } : {}),
      ...(token === "id" && g.roles.length > 0 ? { "cognito:roles": [...g.roles] } : {}),
      ...(token === "id" && g.preferredRole !== undefined ? { "cognito:preferred_role": g.preferredRole } : {}),
    };
    out = { sub: claims.sub, ...groupClaims };
    for (const [name, value] of Object.entries(claims)) if (!GROUP_CLAIMS.includes(name)) out[name] = value;
  }
  const changes = token === "id" ? custom.idToken : custom.accessToken;
  const add = changes?.add;
  if (add) for (const name of Object.keys(add)) out[name] = add[name];
  for (const name of changes?.suppress ?? []) delete out[name];
  if (token === "access" && custom.accessToken) {
    const { scopesToAdd = [], scopesToSuppress = [] } = custom.accessToken;
    if (scopesToAdd.length > 0 || scopesToSuppress.length > 0) {
      const current = typeof out.scope === "string" ? out.scope.split(" ").filter((s) => s !== "") : [];
      const scopes = [...new Set([...current, ...scopesToAdd])].filter((s) => !scopesToSuppress.includes(s));
      if (scopes.length > 0) out.scope = scopes.join(" ");
      else delete out.scope;
    }
  }
  return out;
}

/** The attributes `profile` reaches (custom attributes too); `email` and `phone` add theirs. */
const PROFILE_ATTRIBUTES = new Set([
  "name",
  "family_name",
  "given_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "profile",
  "picture",
  "website",
  "gender",
  "birthdate",
  "zoneinfo",
  "locale",
  "updated_at",
]);
const EMAIL_ATTRIBUTES = new Set(["email", "email_verified"]);
const PHONE_ATTRIBUTES = new Set(["phone_number", "phone_number_verified"]);

/**
 * Which user attributes an OAuth 2.0 grant shows, in its id token and at userInfo: those the app
 * client may read (`ReadAttributes`; all when it names none), and of those, with `openid` alone
 * every one, with `profile`, `email` or `phone` only theirs (docs/decisions/0016-oauth-endpoints.md).
 */
export function oauthAttributeFilter(
  scopes: readonly string[],
  readAttributes: readonly string[] | undefined,
): (name: string) => boolean {
  const readable = readAttributes?.length ? new Set(readAttributes) : undefined;
  const profile = scopes.includes("profile");
  const email = scopes.includes("email");
  const phone = scopes.includes("phone");
  const narrowed = profile || email || phone;
  return (name) =>
    (!readable || readable.has(name)) &&
    (!narrowed ||
      (profile && (PROFILE_ATTRIBUTES.has(name) || name.startsWith("custom:"))) ||
      (email && EMAIL_ATTRIBUTES.has(name)) ||
      (phone && PHONE_ATTRIBUTES.has(name)));
}

/**
 * The id token's `identities` claim from the `identities` attribute: Cognito puts the list in as
 * JSON, not as the attribute's string, with every value but `issuer` a string (`"primary":"true"`,
 * `"dateCreated":"1682704282933"`), as captured id tokens show. An attribute that is not such a
 * list (a pre-federation import, say) stays the string it is.
 */
function identitiesClaim(value: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  if (!Array.isArray(parsed) || !parsed.every((i) => typeof i === "object" && i !== null && !Array.isArray(i)))
    return value;
  return parsed.map((i: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(i).map(([k, v]) => [k, typeof v === "number" || typeof v === "boolean" ? String(v) : v]),
    ),
  );
}

/** OIDC's `at_hash`: base64url of the left half of the access token's SHA-256. */
function atHash(accessToken: string): string {
  return createHash("sha256").update(accessToken, "ascii").digest().subarray(0, 16).toString("base64url");
}

/** Signs the access and id tokens of a session (with `oauth`, as the token endpoint issues them). */
async function mint(
  ctx: Ctx,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  session: StoredSession,
  oauth?: OAuthGrant,
  custom?: TokenCustomization,
) {
  const keys = await ctx.keys.keysFor(pool.id);
  const lifetimes = tokenLifetimes(client.client);
  const iat = Math.floor(ctx.clock.now() / 1000);
  const iss = issuerFor(ctx, pool.id, ctx.baseUrl);
  const groups = groupsByPrecedence(ctx, user);
  const eventId = newUuid();
  const groupClaim = groups.length > 0 ? { "cognito:groups": groups } : {};
  // The groups' IAM roles in the id token, for identity pools' Token role mappings (docs/identity-pools.md).
  const roleClaims = groupRoleClaims(ctx, user.poolId, groups);

  // A sign-in bound to a device names it right after `sub`, where Cognito's access tokens have it.
  const deviceClaim = session.device ? { device_key: session.device.key } : {};
  const access = {
    sub: user.sub,
    ...deviceClaim,
    ...groupClaim,
    iss,
    client_id: client.client.ClientId,
    origin_jti: session.originJti,
    event_id: eventId,
    token_use: "access",
    scope: "aws.cognito.signin.user.admin",
    auth_time: session.authTime,
    exp: iat + lifetimes.access,
    iat,
    jti: newUuid(),
    username: user.username,
  };
  const userAttributes: Record<string, unknown> = {};
  for (const a of user.attributes) {
    if (
      a.Name === "sub" ||
      a.Name === "email_verified" ||
      a.Name === "phone_number_verified" ||
      a.Name === "identities" ||
      a.Name!.startsWith("dev:")
    )
      continue;
    userAttributes[a.Name!] = a.Value;
  }
  const emailVerified = user.attributes.find((a) => a.Name === "email_verified")?.Value;
  const phoneVerified = user.attributes.find((a) => a.Name === "phone_number_verified")?.Value;
  // A federated or linked user's identities: right after `aud`, where captured tokens have them,
  // and in every id token of the user (whatever the scopes).
  const identities = user.attributes.find((a) => a.Name === "identities")?.Value;
  const identitiesClaims = identities !== undefined ? { identities: identitiesClaim(identities) } : {};
  const id = {
    sub: user.sub,
    ...groupClaim,
    ...roleClaims,
    ...(emailVerified !== undefined ? { email_verified: emailVerified === "true" } : {}),
    ...(phoneVerified !== undefined ? { phone_number_verified: phoneVerified === "true" } : {}),
    iss,
    "cognito:username": user.username,
    origin_jti: session.originJti,
    aud: client.client.ClientId,
    ...identitiesClaims,
    event_id: eventId,
    token_use: "id",
    auth_time: session.authTime,
    ...userAttributes,
    exp: iat + lifetimes.id,
    iat,
    jti: newUuid(),
  };
  if (oauth) {
    // Cognito's OAuth tokens: `version: 2` after `iss` and the granted scopes in the access token;
    // in the id token `at_hash` first and the nonce after the username, so the access token is
    // signed first. The rest is what an API sign-in's tokens hold, in the same order.
    const oauthAccess = {
      sub: access.sub,
      ...deviceClaim,
      ...groupClaim,
      iss,
      version: 2,
      client_id: access.client_id,
      origin_jti: access.origin_jti,
      event_id: access.event_id,
      token_use: access.token_use,
      scope: oauth.scopes.join(" "),
      auth_time: access.auth_time,
      exp: access.exp,
      iat: access.iat,
      jti: access.jti,
      username: access.username,
    };
    const accessToken = await signRs256(
      keys.access.header,
      customized(oauthAccess, "access", custom),
      keys.access.privateKey,
    );
    // The id token's attributes: those the client may read, narrowed by profile/email/phone.
    const shown = oauthAttributeFilter(oauth.scopes, client.client.ReadAttributes as string[] | undefined);
    const oauthAttributes = Object.fromEntries(Object.entries(userAttributes).filter(([name]) => shown(name)));
    const oauthId = {
      at_hash: atHash(accessToken),
      sub: id.sub,
      ...groupClaim,
      ...roleClaims,
      ...(emailVerified !== undefined && shown("email_verified") ? { email_verified: emailVerified === "true" } : {}),
      ...(phoneVerified !== undefined && shown("phone_number_verified")
        ? { phone_number_verified: phoneVerified === "true" }
        : {}),
      iss,
      "cognito:username": id["cognito:username"],
      ...(oauth.nonce !== undefined ? { nonce: oauth.nonce } : {}),
      origin_jti: id.origin_jti,
      aud: id.aud,
      ...identitiesClaims,
      event_id: id.event_id,
      token_use: id.token_use,
      auth_time: id.auth_time,
      ...oauthAttributes,
      exp: id.exp,
      iat,
      jti: id.jti,
    };
    const idToken = await signRs256(keys.id.header, customized(oauthId, "id", custom), keys.id.privateKey);
    return { accessToken, idToken, expiresIn: lifetimes.access };
  }
  const [accessToken, idToken] = await Promise.all([
    signRs256(keys.access.header, customized(access, "access", custom), keys.access.privateKey),
    signRs256(keys.id.header, customized(id, "id", custom), keys.id.privateKey),
  ]);
  return { accessToken, idToken, expiresIn: lifetimes.access };
}

/**
 * Completes a sign-in: opens a session (the tokens' `origin_jti`) and answers the
 * AuthenticationResult with all three tokens. `oauth` marks a sign-in through the OAuth 2.0
 * endpoints: the session keeps its scopes, and the tokens are the token endpoint's. `custom`
 * is what the pool's pre token generation trigger changes in the tokens. `device` binds the
 * session to a device (domain/devices.ts): its tokens carry `device_key`, and a device not yet
 * confirmed is handed out as NewDeviceMetadata.
 */
export async function signIn(
  ctx: Ctx,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  oauth?: OAuthGrant,
  custom?: TokenCustomization,
  device?: SessionRecord["device"],
): Promise<Wire<AuthenticationResultType>> {
  // The user or client may have been deleted (taking their sessions with them) while this
  // sign-in awaited its checks; a session must not outlive either.
  if (!ctx.store.getUserBySub(pool.id, user.sub)) throw errors.userNotFound();
  if (!ctx.store.getClient(client.client.ClientId!)) throw errors.clientNotFound(client.client.ClientId!);
  const now = ctx.clock.now();
  const session: SessionRecord = {
    originJti: newUuid(),
    poolId: pool.id,
    clientId: client.client.ClientId!,
    username: user.username,
    sub: user.sub,
    authTime: oauth?.authTime ?? Math.floor(now / 1000),
    refreshToken: newRefreshToken(),
    refreshExpiresAt: now + tokenLifetimes(client.client).refresh * 1000,
    revoked: false,
    ...(oauth ? { scopes: [...oauth.scopes] } : {}),
    ...(device ? { device: { ...device } } : {}),
  };
  ctx.store.putSession(session);
  const t = await mint(ctx, pool, client, user, session, oauth, custom);
  return {
    AccessToken: t.accessToken,
    ExpiresIn: t.expiresIn,
    TokenType: "Bearer",
    RefreshToken: session.refreshToken,
    IdToken: t.idToken,
    ...(device && !device.confirmed
      ? { NewDeviceMetadata: { DeviceKey: device.key, DeviceGroupKey: device.groupKey } }
      : {}),
  };
}

/**
 * New access and id tokens for an existing session (REFRESH_TOKEN_AUTH). `rotate` replaces the
 * refresh token and answers the new one, as clients with RefreshTokenRotation do. `custom` is
 * what the pool's pre token generation trigger changes in the tokens.
 */
export async function refreshSession(
  ctx: Ctx,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  session: StoredSession,
  rotate?: { gracePeriodSeconds: number },
  custom?: TokenCustomization,
): Promise<Wire<AuthenticationResultType>> {
  let current = session;
  if (rotate) {
    const now = ctx.clock.now();
    const retired = [...(session.retired ?? []).filter((r) => r.until > now)];
    if (rotate.gracePeriodSeconds > 0)
      retired.push({ token: session.refreshToken, until: now + rotate.gracePeriodSeconds * 1000 });
    current = { ...session, refreshToken: newRefreshToken(), retired };
    ctx.store.putSession(current);
  }
  // A session opened at the token endpoint keeps its scopes across refreshes.
  const grant = current.scopes ? { scopes: current.scopes } : undefined;
  const t = await mint(ctx, pool, client, user, current, grant, custom);
  return {
    AccessToken: t.accessToken,
    ExpiresIn: t.expiresIn,
    TokenType: "Bearer",
    IdToken: t.idToken,
    ...(rotate ? { RefreshToken: current.refreshToken } : {}),
  };
}

/**
 * The access token of a client-credentials grant (machine to machine): no user, no session and
 * so no refresh or revocation; `sub` is the client id and `scope` the granted custom scopes,
 * in the claim order of Cognito's M2M tokens. `custom` is what a pre token generation trigger
 * (event version 3) changes in it.
 */
export async function clientCredentialsToken(
  ctx: Ctx,
  pool: StoredPool,
  client: StoredClient,
  scopes: readonly string[],
  custom?: TokenCustomization,
): Promise<{ accessToken: string; expiresIn: number }> {
  const keys = await ctx.keys.keysFor(pool.id);
  const lifetimes = tokenLifetimes(client.client);
  const iat = Math.floor(ctx.clock.now() / 1000);
  const claims = {
    sub: client.client.ClientId,
    token_use: "access",
    scope: scopes.join(" "),
    auth_time: iat,
    iss: issuerFor(ctx, pool.id, ctx.baseUrl),
    exp: iat + lifetimes.access,
    iat,
    version: 2,
    jti: newUuid(),
    client_id: client.client.ClientId,
  };
  const accessToken = await signRs256(
    keys.access.header,
    customized(claims, "access", custom ? { accessToken: custom.accessToken } : undefined),
    keys.access.privateKey,
  );
  return { accessToken, expiresIn: lifetimes.access };
}
