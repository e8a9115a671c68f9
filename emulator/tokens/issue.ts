// Minting Cognito's three tokens. Access and id tokens are RS256 JWTs with the claims (and
// claim order) real Cognito uses; refresh tokens are opaque and live in the session record.
import type { AuthenticationResultType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { signRs256 } from "../crypto/jws.js";
import { newOpaque, newUuid } from "../services/ids.js";
import type { ClientRecord, PoolRecord, SessionRecord, UserRecord } from "../store/types.js";
import type { TokenDeps } from "./deps.js";
import { issuerFor } from "./issuer.js";
import { tokenLifetimes } from "./lifetimes.js";

type Ctx = Pick<TokenDeps, "store" | "clock" | "keys" | "config" | "baseUrl">;

/** A refresh token: opaque, shaped like Cognito's five-part JWE so it looks the part in logs. */
function newRefreshToken(): string {
  return `eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.${newOpaque(192)}.${newOpaque(9)}.${newOpaque(384)}.${newOpaque(16)}`;
}

/** Groups of the user, ordered by precedence (lowest first; groups without one last). */
function groupsByPrecedence(ctx: Pick<TokenDeps, "store">, user: UserRecord): string[] {
  const withPrecedence = user.groups.map((name) => ({
    name,
    p: ctx.store.getGroup(user.poolId, name)?.group.Precedence,
  }));
  return withPrecedence
    .sort((a, b) => (a.p ?? Number.MAX_SAFE_INTEGER) - (b.p ?? Number.MAX_SAFE_INTEGER))
    .map((g) => g.name);
}

/** Signs the access and id tokens of a session. */
async function mint(ctx: Ctx, pool: PoolRecord, client: ClientRecord, user: UserRecord, session: SessionRecord) {
  const keys = await ctx.keys.keysFor(pool.id);
  const lifetimes = tokenLifetimes(client.client);
  const iat = Math.floor(ctx.clock.now() / 1000);
  const iss = issuerFor(ctx, pool.id, ctx.baseUrl);
  const groups = groupsByPrecedence(ctx, user);
  const eventId = newUuid();
  const groupClaim = groups.length > 0 ? { "cognito:groups": groups } : {};

  const access = {
    sub: user.sub,
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
      a.Name!.startsWith("dev:")
    )
      continue;
    userAttributes[a.Name!] = a.Value;
  }
  const emailVerified = user.attributes.find((a) => a.Name === "email_verified")?.Value;
  const phoneVerified = user.attributes.find((a) => a.Name === "phone_number_verified")?.Value;
  const id = {
    sub: user.sub,
    ...groupClaim,
    ...(emailVerified !== undefined ? { email_verified: emailVerified === "true" } : {}),
    ...(phoneVerified !== undefined ? { phone_number_verified: phoneVerified === "true" } : {}),
    iss,
    "cognito:username": user.username,
    origin_jti: session.originJti,
    aud: client.client.ClientId,
    event_id: eventId,
    token_use: "id",
    auth_time: session.authTime,
    ...userAttributes,
    exp: iat + lifetimes.id,
    iat,
    jti: newUuid(),
  };
  const [accessToken, idToken] = await Promise.all([
    signRs256(keys.access.header, access, keys.access.privateKey),
    signRs256(keys.id.header, id, keys.id.privateKey),
  ]);
  return { accessToken, idToken, expiresIn: lifetimes.access };
}

/**
 * Completes a sign-in: opens a session (the tokens' `origin_jti`) and answers the
 * AuthenticationResult with all three tokens.
 */
export async function signIn(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
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
    authTime: Math.floor(now / 1000),
    refreshToken: newRefreshToken(),
    refreshExpiresAt: now + tokenLifetimes(client.client).refresh * 1000,
    revoked: false,
  };
  ctx.store.putSession(session);
  const t = await mint(ctx, pool, client, user, session);
  return {
    AccessToken: t.accessToken,
    ExpiresIn: t.expiresIn,
    TokenType: "Bearer",
    RefreshToken: session.refreshToken,
    IdToken: t.idToken,
  };
}

/**
 * New access and id tokens for an existing session (REFRESH_TOKEN_AUTH). `rotate` replaces the
 * refresh token and answers the new one, as clients with RefreshTokenRotation do.
 */
export async function refreshSession(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  session: SessionRecord,
  rotate?: { gracePeriodSeconds: number },
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
  const t = await mint(ctx, pool, client, user, current);
  return {
    AccessToken: t.accessToken,
    ExpiresIn: t.expiresIn,
    TokenType: "Bearer",
    IdToken: t.idToken,
    ...(rotate ? { RefreshToken: current.refreshToken } : {}),
  };
}
