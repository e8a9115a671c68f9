// The password and refresh flows, shared by InitiateAuth and AdminInitiateAuth.
import type { InitiateAuthResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { OperationContext } from "../operations/types.js";
import { errors } from "../protocol/errors.js";
import type { ClientRecord, PoolRecord, UserRecord, Wire } from "../store/types.js";
import { refreshSession, signIn } from "../tokens/issue.js";
import { checkPasswordSignIn, checkSecretHash, newPasswordChallengeParameters, openChallenge } from "./auth.js";

/** What follows a correct password: a challenge the user must answer, or tokens. */
export async function afterPassword(ctx: OperationContext, pool: PoolRecord, client: ClientRecord, user: UserRecord): Promise<Wire<InitiateAuthResponse>> {
  if (user.status === "FORCE_CHANGE_PASSWORD") {
    const ch = openChallenge(ctx, pool, client, user, "NEW_PASSWORD_REQUIRED");
    return { ChallengeName: "NEW_PASSWORD_REQUIRED", Session: ch.session, ChallengeParameters: newPasswordChallengeParameters(pool, user) };
  }
  return { ChallengeParameters: {}, AuthenticationResult: await signIn(ctx, pool, client, user) };
}

/** USERNAME + PASSWORD (+ SECRET_HASH), for USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH. */
export async function passwordFlow(ctx: OperationContext, pool: PoolRecord, client: ClientRecord, params: Record<string, string>): Promise<Wire<InitiateAuthResponse>> {
  const username = params.USERNAME;
  const password = params.PASSWORD;
  if (!username) throw errors.invalidParameter("Missing required parameter USERNAME");
  if (password === undefined) throw errors.invalidParameter("Missing required parameter PASSWORD");
  checkSecretHash(client, params.SECRET_HASH, [username]);
  const user = await checkPasswordSignIn(ctx, pool, client, username, password);
  return afterPassword(ctx, pool, client, user);
}

/** REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new access and id tokens from a refresh token. */
export async function refreshFlow(ctx: OperationContext, pool: PoolRecord, client: ClientRecord, params: Record<string, string>): Promise<Wire<InitiateAuthResponse>> {
  const token = params.REFRESH_TOKEN;
  if (!token) throw errors.invalidParameter("Missing required parameter REFRESH_TOKEN");
  const session = ctx.store.getSessionByRefreshToken(token);
  if (!session || session.clientId !== client.client.ClientId || session.poolId !== pool.id) throw errors.notAuthorized("Invalid Refresh Token.");
  const user = ctx.store.getUserBySub(pool.id, session.sub);
  checkSecretHash(client, params.SECRET_HASH, [params.USERNAME, user?.username, session.sub]);
  if (session.revoked) throw errors.notAuthorized("Refresh Token has been revoked");
  if (ctx.clock.now() > session.refreshExpiresAt) throw errors.notAuthorized("Refresh Token has expired");
  const retired = session.retired?.find((r) => r.token === token);
  if (retired && ctx.clock.now() > retired.until) throw errors.notAuthorized("Invalid Refresh Token.");
  if (!user) throw errors.notAuthorized("Refresh Token has been revoked");
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  return { ChallengeParameters: {}, AuthenticationResult: await refreshSession(ctx, pool, client, user, session) };
}
