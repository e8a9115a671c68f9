// The password and refresh flows, shared by InitiateAuth and AdminInitiateAuth.
import type { InitiateAuthResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { RequestFacts, Services } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { StoredClient, StoredPool, StoredSession, StoredUser } from "../store/types.js";
import { type OAuthGrant, refreshSession, signIn } from "../tokens/issue.js";
import { checkPasswordSignIn, checkSecretHash, newPasswordChallengeParameters, openChallenge } from "./auth.js";
import { assessSignIn, finishAuthEvent, refuseBlockedAddress } from "./auth-events.js";
import {
  checkRefreshDevice,
  deviceForSignIn,
  deviceSrpChallenge,
  newDevice,
  type StoredDevice,
  skipsMfa,
  tracksDevices,
} from "./devices.js";
import { mfaChallenge } from "./mfa.js";
import { postAuthentication, preAuthentication } from "./triggers/authentication.js";
import { API_SCOPES, preTokenGeneration, type TokenGenerationSource } from "./triggers/pre-token-generation.js";

/**
 * What signing a user in uses: the store (challenges, sessions), the clock, the inbox (SMS and
 * email MFA codes), the signing keys and the issuer settings, the pool's triggers, and where the
 * caller reached the emulator (a local issuer's URL) with what (the triggers' SDK version).
 */
export type SignInContext = Pick<Services, "store" | "clock" | "locks" | "inbox" | "keys" | "config" | "triggers"> &
  Pick<RequestFacts, "baseUrl" | "userAgent" | "managedLogin" | "sourceIp">;

/** What a refresh uses: the store, the clock, the signing keys, the issuer and the triggers. */
type RefreshContext = Pick<Services, "store" | "clock" | "keys" | "config" | "triggers"> &
  Pick<RequestFacts, "baseUrl" | "userAgent">;

/** How a sign-in came to its end, for the triggers run there. */
export interface SignInEnd {
  /** The pre token generation event's source: `TokenGeneration_Authentication` unless said. */
  readonly source?: TokenGenerationSource | undefined;
  /** The challenge answer's ClientMetadata (an InitiateAuth's is not passed on). */
  readonly clientMetadata?: Readonly<Record<string, string>> | undefined;
  /**
   * The device the sign-in authenticated (DEVICE_PASSWORD_VERIFIER): the session is bound to it
   * and no NewDeviceMetadata is handed out. Otherwise a pool that tracks devices binds the
   * session to a new device (domain/devices.ts).
   */
  readonly device?: StoredDevice | undefined;
  /**
   * The plaintext password the sign-in proved (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH,
   * USER_AUTH's PASSWORD), for threat protection's compromised-credentials check; SRP has none.
   */
  readonly password?: string | undefined;
  /** True when the sign-in ends with a correct MFA code: its auth event shows the Mfa answer. */
  readonly mfa?: boolean | undefined;
  /** True for a CUSTOM_AUTH sign-in: threat protection follows its CustomAuthMode. */
  readonly custom?: boolean | undefined;
}

/**
 * The end of every API sign-in, once each proof is given: the post authentication trigger, the
 * pre token generation trigger, then the session and its tokens. A failing trigger leaves no
 * session and no tokens. On the managed login pages (`ctx.managedLogin`) the tokens minted here
 * are discarded for an authorization code, so the token trigger runs at the token endpoint
 * instead (TokenGeneration_HostedAuth).
 */
export async function finishSignIn(
  ctx: SignInContext,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  end: SignInEnd = {},
  oauth?: OAuthGrant,
) {
  // Sign-ins through the OAuth 2.0 endpoints (managed login) are not device-tracked.
  const device = end.device
    ? { key: end.device.key, groupKey: end.device.groupKey, confirmed: true }
    : tracksDevices(pool) && !ctx.managedLogin && !oauth
      ? newDevice(pool)
      : undefined;
  // Threat protection's event of the sign-in passes; it may still refuse one that proved no password.
  await finishAuthEvent(ctx, pool, client, user, end);
  await postAuthentication(ctx, pool, client, user, end.clientMetadata, device?.confirmed === false);
  const custom = ctx.managedLogin
    ? undefined
    : await preTokenGeneration(ctx, pool, client, user, {
        source: end.source ?? "TokenGeneration_Authentication",
        scopes: oauth?.scopes ?? API_SCOPES,
        clientMetadata: end.clientMetadata,
      });
  return signIn(ctx, pool, client, user, oauth, custom, device);
}

/**
 * What follows a correct password: a challenge the user must answer, or tokens (`end` says how
 * the sign-in got there, for its triggers). `device` is the confirmed device the sign-in named
 * (DEVICE_KEY): MFA, unless the remembered device skips it, then DEVICE_SRP_AUTH before tokens.
 */
export async function afterPassword(
  ctx: SignInContext,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  end: SignInEnd = {},
  device?: StoredDevice,
): Promise<Wire<InitiateAuthResponse>> {
  // Threat protection assesses the sign-in once the password is proved, and may refuse it.
  await assessSignIn(ctx, pool, client, user, end);
  if (user.status === "FORCE_CHANGE_PASSWORD") {
    const ch = openChallenge(ctx, pool, client, user, "NEW_PASSWORD_REQUIRED");
    return {
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      Session: ch.session,
      ChallengeParameters: newPasswordChallengeParameters(pool, user),
    };
  }
  if (!skipsMfa(pool, device)) {
    // The MFA challenge carries the device, whose proof follows the code (challenges/mfa.ts).
    const mfa = await mfaChallenge(ctx, pool, client, user, device ? { deviceKey: device.key } : {});
    if (mfa) return mfa;
  }
  if (device) return deviceSrpChallenge(ctx, pool, client, user, device);
  return { ChallengeParameters: {}, AuthenticationResult: await finishSignIn(ctx, pool, client, user, end) };
}

/**
 * USERNAME + PASSWORD (+ SECRET_HASH), for USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH. The
 * pre authentication trigger runs before the password is checked, with the request's
 * ClientMetadata as its validationData.
 */
export async function passwordFlow(
  ctx: SignInContext & Pick<Services, "locks">,
  pool: StoredPool,
  client: StoredClient,
  params: Record<string, string>,
  clientMetadata?: Readonly<Record<string, string>>,
): Promise<Wire<InitiateAuthResponse>> {
  const username = params.USERNAME;
  const password = params.PASSWORD;
  if (!username) throw errors.missingParameter("USERNAME");
  if (password === undefined) throw errors.missingParameter("PASSWORD");
  checkSecretHash(client, params.SECRET_HASH, [username]);
  // A blocked address is refused before the password is looked at (threat protection).
  await refuseBlockedAddress(ctx, pool, client, username);
  await preAuthentication(ctx, pool, client, username, clientMetadata);
  const user = await checkPasswordSignIn(ctx, pool, client, username, password, clientMetadata);
  // Checked once the password is: a wrong DEVICE_KEY tells nothing before the password is proved.
  return afterPassword(ctx, pool, client, user, { password }, deviceForSignIn(pool, user, params.DEVICE_KEY));
}

/** True when the client rotates refresh tokens (RefreshTokenRotation.Feature ENABLED). */
export function rotatesRefreshTokens(client: StoredClient): boolean {
  return client.client.RefreshTokenRotation?.Feature === "ENABLED";
}

/**
 * The session and user behind a refresh token, with every check a refresh makes: the token
 * belongs to this client, the client's secret (SECRET_HASH or ClientSecret) is right, and the
 * session is neither revoked, expired, nor retired by rotation past its grace period.
 */
export function resolveRefreshSession(
  ctx: Pick<Services, "store" | "clock">,
  pool: StoredPool,
  client: StoredClient,
  token: string,
  checkSecret: (user: StoredUser | undefined, session: StoredSession) => void,
): { session: StoredSession; user: StoredUser } {
  const session = ctx.store.getSessionByRefreshToken(token);
  if (!session || session.clientId !== client.client.ClientId || session.poolId !== pool.id)
    throw errors.invalidRefreshToken();
  const user = ctx.store.getUserBySub(pool.id, session.sub);
  checkSecret(user, session);
  if (session.revoked) throw errors.refreshTokenRevoked();
  if (ctx.clock.now() > session.refreshExpiresAt) throw errors.refreshTokenExpired();
  const retired = session.retired?.find((r) => r.token === token);
  if (retired && ctx.clock.now() > retired.until) throw errors.invalidRefreshToken();
  if (!user) throw errors.refreshTokenRevoked();
  if (!user.enabled) throw errors.userDisabled();
  return { session, user };
}

/**
 * REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new access and id tokens from a refresh token. A client
 * that rotates refresh tokens must refresh with GetTokensFromRefreshToken instead
 * (docs/decisions/0008-refresh-token-rotation.md). For a client with a secret, SECRET_HASH must be
 * computed for the user the token belongs to: their username (the generated UUID, equal to the
 * sub, in email- or phone-as-username pools) or their sub; a USERNAME sent beside it changes
 * nothing (docs/decisions/0014-brute-force-limits.md). The pre token generation trigger runs
 * (TokenGeneration_RefreshTokens, without the request's ClientMetadata, which Cognito passes
 * on from InitiateAuth to no token trigger); pre and post authentication do not.
 */
export async function refreshFlow(
  ctx: RefreshContext,
  pool: StoredPool,
  client: StoredClient,
  params: Record<string, string>,
  flowName = "REFRESH_TOKEN_AUTH",
): Promise<Wire<InitiateAuthResponse>> {
  if (rotatesRefreshTokens(client)) throw errors.flowNotEnabled(flowName);
  const token = params.REFRESH_TOKEN;
  if (!token) throw errors.missingParameter("REFRESH_TOKEN");
  const { session, user } = resolveRefreshSession(ctx, pool, client, token, (u, s) =>
    checkSecretHash(client, params.SECRET_HASH, [u?.username ?? s.username, s.sub]),
  );
  checkRefreshDevice(user, session, params.DEVICE_KEY);
  const custom = await refreshCustomization(ctx, pool, client, user, session);
  return {
    ChallengeParameters: {},
    AuthenticationResult: await refreshSession(ctx, pool, client, user, session, undefined, custom),
  };
}

/**
 * The pre token generation trigger of a refresh (TokenGeneration_RefreshTokens): the session's
 * scopes (the API's, or those granted at the token endpoint) and the request's ClientMetadata
 * where the operation passes one on (GetTokensFromRefreshToken).
 */
export function refreshCustomization(
  ctx: Pick<Services, "store" | "triggers"> & Pick<RequestFacts, "userAgent">,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  session: StoredSession,
  clientMetadata?: Readonly<Record<string, string>>,
) {
  return preTokenGeneration(ctx, pool, client, user, {
    source: "TokenGeneration_RefreshTokens",
    scopes: session.scopes ?? API_SCOPES,
    clientMetadata,
  });
}
