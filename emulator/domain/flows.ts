// The password and refresh flows, shared by InitiateAuth and AdminInitiateAuth.
import type { InitiateAuthResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { OperationContext } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { ClientRecord, PoolRecord, SessionRecord, UserRecord } from "../store/types.js";
import { refreshSession, signIn } from "../tokens/issue.js";
import { checkPasswordSignIn, checkSecretHash, newPasswordChallengeParameters, openChallenge } from "./auth.js";
import { mfaChallenge } from "./mfa.js";

/** What follows a correct password: a challenge the user must answer, or tokens. */
export async function afterPassword(
  ctx: OperationContext,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
): Promise<Wire<InitiateAuthResponse>> {
  if (user.status === "FORCE_CHANGE_PASSWORD") {
    const ch = openChallenge(ctx, pool, client, user, "NEW_PASSWORD_REQUIRED");
    return {
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      Session: ch.session,
      ChallengeParameters: newPasswordChallengeParameters(pool, user),
    };
  }
  const mfa = mfaChallenge(ctx, pool, client, user);
  if (mfa) return mfa;
  return { ChallengeParameters: {}, AuthenticationResult: await signIn(ctx, pool, client, user) };
}

/** USERNAME + PASSWORD (+ SECRET_HASH), for USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH. */
export async function passwordFlow(
  ctx: OperationContext,
  pool: PoolRecord,
  client: ClientRecord,
  params: Record<string, string>,
): Promise<Wire<InitiateAuthResponse>> {
  const username = params.USERNAME;
  const password = params.PASSWORD;
  if (!username) throw errors.invalidParameter("Missing required parameter USERNAME");
  if (password === undefined) throw errors.invalidParameter("Missing required parameter PASSWORD");
  checkSecretHash(client, params.SECRET_HASH, [username]);
  const user = await checkPasswordSignIn(ctx, pool, client, username, password);
  return afterPassword(ctx, pool, client, user);
}

/** True when the client rotates refresh tokens (RefreshTokenRotation.Feature ENABLED). */
export function rotatesRefreshTokens(client: ClientRecord): boolean {
  return client.client.RefreshTokenRotation?.Feature === "ENABLED";
}

/**
 * The session and user behind a refresh token, with every check a refresh makes: the token
 * belongs to this client, the client's secret (SECRET_HASH or ClientSecret) is right, and the
 * session is neither revoked, expired, nor retired by rotation past its grace period.
 */
export function resolveRefreshSession(
  ctx: OperationContext,
  pool: PoolRecord,
  client: ClientRecord,
  token: string,
  checkSecret: (user: UserRecord | undefined, session: SessionRecord) => void,
): { session: SessionRecord; user: UserRecord } {
  const session = ctx.store.getSessionByRefreshToken(token);
  if (!session || session.clientId !== client.client.ClientId || session.poolId !== pool.id)
    throw errors.notAuthorized("Invalid Refresh Token.");
  const user = ctx.store.getUserBySub(pool.id, session.sub);
  checkSecret(user, session);
  if (session.revoked) throw errors.notAuthorized("Refresh Token has been revoked");
  if (ctx.clock.now() > session.refreshExpiresAt) throw errors.notAuthorized("Refresh Token has expired");
  const retired = session.retired?.find((r) => r.token === token);
  if (retired && ctx.clock.now() > retired.until) throw errors.notAuthorized("Invalid Refresh Token.");
  if (!user) throw errors.notAuthorized("Refresh Token has been revoked");
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  return { session, user };
}

/**
 * REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new access and id tokens from a refresh token. A client
 * that rotates refresh tokens must refresh with GetTokensFromRefreshToken instead
 * (docs/decisions/0008-refresh-token-rotation.md).
 */
export async function refreshFlow(
  ctx: OperationContext,
  pool: PoolRecord,
  client: ClientRecord,
  params: Record<string, string>,
  flowName = "REFRESH_TOKEN_AUTH",
): Promise<Wire<InitiateAuthResponse>> {
  if (rotatesRefreshTokens(client)) throw errors.invalidParameter(`${flowName} flow not enabled for this client`);
  const token = params.REFRESH_TOKEN;
  if (!token) throw errors.invalidParameter("Missing required parameter REFRESH_TOKEN");
  const { session, user } = resolveRefreshSession(ctx, pool, client, token, (u, s) =>
    checkSecretHash(client, params.SECRET_HASH, [params.USERNAME, u?.username, s.sub]),
  );
  return { ChallengeParameters: {}, AuthenticationResult: await refreshSession(ctx, pool, client, user, session) };
}
