// MFA: what GetUser and AdminGetUser show of a user's factors, which challenge follows a correct
// password (SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE, MFA_SETUP), and the checks
// shared by the operations that enrol and choose factors. The answers to the challenges are in
// mfa-challenges.ts.
import type { InitiateAuthResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Services } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { totpStep, verifyTotp } from "../crypto/totp.js";
import type { StoredChallenge, StoredClient, StoredPool, StoredUser, UserRecord } from "../store/types.js";
import { openChallenge } from "./auth.js";
import { issueCode, type MessageContext } from "./users/codes.js";
import { attr, cloneUser } from "./users/records.js";
import { passkeysMayBeMfa } from "./webauthn/relying-party.js";

/** The MFA factors of a user pool's password sign-in. */
export type MfaFactor = "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP";

/** `MFAOptions`-free MFA fields: UserMFASettingList and PreferredMfaSetting, when set. */
export function mfaSettings(user: StoredUser): { UserMFASettingList?: string[]; PreferredMfaSetting?: string } {
  const list: string[] = [];
  if (user.mfa.sms) list.push("SMS_MFA");
  if (user.mfa.totp) list.push("SOFTWARE_TOKEN_MFA");
  if (user.mfa.email) list.push("EMAIL_OTP");
  return {
    ...(list.length > 0 ? { UserMFASettingList: list } : {}),
    ...(user.mfa.preferred ? { PreferredMfaSetting: user.mfa.preferred } : {}),
  };
}

/**
 * The factors the pool offers: TOTP when SoftwareTokenMfaConfiguration is enabled, SMS when it
 * has an SMS configuration (SetUserPoolMfaConfig's, or CreateUserPool's SmsConfiguration), email
 * when it has an EmailMfaConfiguration. Empty when MfaConfiguration is OFF.
 */
export function poolFactors(pool: StoredPool): MfaFactor[] {
  if (pool.mfa.MfaConfiguration === "OFF") return [];
  const out: MfaFactor[] = [];
  if (pool.mfa.SmsMfaConfiguration || pool.pool.SmsConfiguration) out.push("SMS_MFA");
  if (pool.mfa.SoftwareTokenMfaConfiguration?.Enabled) out.push("SOFTWARE_TOKEN_MFA");
  if (pool.mfa.EmailMfaConfiguration) out.push("EMAIL_OTP");
  return out;
}

/** True when the pool lets users associate and verify authenticator apps. */
export function poolAllowsTotp(pool: StoredPool): boolean {
  return pool.mfa.SoftwareTokenMfaConfiguration?.Enabled === true;
}

/** What a user needs before a factor can be turned on: a verified token, a phone, an email. */
function canUseFactor(user: StoredUser, factor: MfaFactor): boolean {
  if (factor === "SOFTWARE_TOKEN_MFA") return user.mfa.totpSecret !== undefined;
  if (factor === "SMS_MFA") return !!attr(user, "phone_number");
  return !!attr(user, "email");
}

/** The user's activated factors that the pool offers and the user can still use. */
function userFactors(pool: StoredPool, user: StoredUser): MfaFactor[] {
  const enabled: Record<MfaFactor, boolean> = {
    SMS_MFA: user.mfa.sms,
    SOFTWARE_TOKEN_MFA: user.mfa.totp,
    EMAIL_OTP: user.mfa.email,
  };
  return poolFactors(pool).filter((f) => enabled[f] && canUseFactor(user, f));
}

/**
 * What opening an MFA challenge uses: the store and clock (the session), the inbox and the
 * triggers (SMS and email codes, their custom message and custom sender triggers).
 */
type Ctx = Pick<Services, "store"> & MessageContext;
type ChallengeResponse = Wire<InitiateAuthResponse>;

/**
 * What follows a correct password (and a completed NEW_PASSWORD_REQUIRED) when the pool has MFA,
 * or undefined for tokens. One usable factor, or a preferred one: its challenge. Several and no
 * preference: SELECT_MFA_TYPE. None while MFA is ON: SMS to the phone number or a code to the
 * email when the pool offers those (Cognito's default for required MFA), else MFA_SETUP listing
 * the pool's factors in MFAS_CAN_SETUP. `extra` is carried in the challenge session's data (the
 * device a sign-in named, whose proof follows the code).
 */
export async function mfaChallenge(
  ctx: Ctx,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  extra: Readonly<Record<string, string>> = {},
): Promise<ChallengeResponse | undefined> {
  const offered = poolFactors(pool);
  if (offered.length === 0) return undefined;
  let factors = userFactors(pool, user);
  if (factors.length === 0 && pool.mfa.MfaConfiguration === "ON") {
    factors = offered.filter((f) => f !== "SOFTWARE_TOKEN_MFA" && canUseFactor(user, f));
    if (factors.length === 0) {
      const ch = openChallenge(ctx, pool, client, user, "MFA_SETUP", { ...extra, stage: "setup" });
      return {
        ChallengeName: "MFA_SETUP",
        Session: ch.session,
        ChallengeParameters: { MFAS_CAN_SETUP: JSON.stringify(offered), USER_ID_FOR_SRP: user.username },
      };
    }
  }
  if (factors.length === 0) return undefined;
  const preferred = user.mfa.preferred && factors.includes(user.mfa.preferred) ? user.mfa.preferred : undefined;
  if (preferred || factors.length === 1)
    return startFactorChallenge(ctx, pool, client, user, preferred ?? factors[0]!, { ...extra });
  const ch = openChallenge(ctx, pool, client, user, "SELECT_MFA_TYPE", { ...extra, choices: JSON.stringify(factors) });
  return {
    ChallengeName: "SELECT_MFA_TYPE",
    Session: ch.session,
    ChallengeParameters: { MFAS_CAN_CHOOSE: JSON.stringify(factors), USER_ID_FOR_SRP: user.username },
  };
}

/** Digits of the codes Cognito sends: six by SMS, eight by email (EMAIL_OTP). */
const CODE_DIGITS: Record<"SMS_MFA" | "SMS_OTP" | "EMAIL_OTP", number> = { SMS_MFA: 6, SMS_OTP: 6, EMAIL_OTP: 8 };

/**
 * Opens the challenge of one factor. SMS and email codes go to the inbox (reason
 * `Authentication`) and are kept in the challenge session rather than on the user, so that two
 * sign-ins in flight each have their own code. `extra` is carried in the session's data;
 * `clientMetadata` (a RespondToAuthChallenge's) goes to the code's custom message trigger.
 */
export async function startFactorChallenge(
  ctx: Ctx,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  // SMS_OTP: the same code by SMS as a first factor of USER_AUTH (domain/user-auth.ts).
  factor: MfaFactor | "SMS_OTP",
  extra: Record<string, string> = {},
  clientMetadata?: Readonly<Record<string, string>> | undefined,
): Promise<ChallengeResponse> {
  if (factor === "SOFTWARE_TOKEN_MFA") {
    const ch = openChallenge(ctx, pool, client, user, factor, extra);
    return {
      ChallengeName: factor,
      Session: ch.session,
      ChallengeParameters: {
        ...(user.mfa.totpDeviceName ? { FRIENDLY_DEVICE_NAME: user.mfa.totpDeviceName } : {}),
        USER_ID_FOR_SRP: user.username,
      },
    };
  }
  const bySms = factor !== "EMAIL_OTP";
  const attribute = bySms ? "phone_number" : "email";
  const value = attr(user, attribute);
  if (!value) throw errors.mfaDeliveryNotConfigured(factor === "SMS_OTP" ? "SMS_MFA" : factor);
  // issueCode writes the code onto the record it is given; this one is a scratch copy.
  const scratch = cloneUser(user);
  // The message comes first: a failing custom message trigger opens no challenge.
  const details = await issueCode(
    ctx,
    pool,
    scratch,
    "mfa",
    "Authentication",
    { medium: bySms ? "SMS" : "EMAIL", attribute, value },
    { digits: CODE_DIGITS[factor], clientId: client.client.ClientId, clientMetadata },
  );
  const ch = openChallenge(ctx, pool, client, user, factor, { ...extra, code: scratch.codes.mfa!.code });
  return {
    ChallengeName: factor,
    Session: ch.session,
    ChallengeParameters: {
      CODE_DELIVERY_DELIVERY_MEDIUM: details.DeliveryMedium!,
      CODE_DELIVERY_DESTINATION: details.Destination!,
      USER_ID_FOR_SRP: user.username,
    },
  };
}

/**
 * Checks a TOTP code against `secret` with one step of skew either way, at the emulator's clock
 * and, when that has been moved, at the wall clock too (authenticator apps follow the wall clock).
 * Returns the matched step, or undefined.
 */
export function matchTotp(ctx: Pick<Services, "clock">, secret: string, code: string): number | undefined {
  const twin = ctx.clock.now();
  const step = verifyTotp(secret, code, twin);
  if (step !== undefined) return step;
  const wall = Date.now();
  return totpStep(wall) === totpStep(twin) ? undefined : verifyTotp(secret, code, wall);
}

/** The settings SetUserMFAPreference and AdminSetUserMFAPreference take. */
export interface MfaPreferenceInput {
  SMSMfaSettings?: { Enabled?: boolean; PreferredMfa?: boolean };
  SoftwareTokenMfaSettings?: { Enabled?: boolean; PreferredMfa?: boolean };
  EmailMfaSettings?: { Enabled?: boolean; PreferredMfa?: boolean };
  WebAuthnMfaSettings?: { Enabled?: boolean };
}

/**
 * Applies an MFA preference to `user` (the copy updateUser writes). A factor turns on only when
 * the user can use it (a verified authenticator, a phone number, an email address); PreferredMfa
 * also turns it on. Turning off the preferred factor clears the preference. Passkey MFA
 * (WebAuthnMfaSettings) turns on only in a pool that lets passkeys serve as MFA, and stays on
 * only beside another factor, so that a lost passkey does not lock the user out.
 */
export function applyMfaPreference(user: UserRecord, input: MfaPreferenceInput, pool: StoredPool): void {
  const passkey = input.WebAuthnMfaSettings?.Enabled;
  if (passkey === true && !passkeysMayBeMfa(pool)) throw errors.webAuthnMfaNotAllowed();
  applyFactorSettings(user, input);
  if (passkey !== undefined) user.mfa.webAuthn = passkey;
  if (user.mfa.webAuthn && !(user.mfa.sms || user.mfa.totp || user.mfa.email)) {
    throw errors.webAuthnMfaNeedsOtherFactor();
  }
}

function applyFactorSettings(user: UserRecord, input: MfaPreferenceInput): void {
  const settings: [MfaFactor, "sms" | "totp" | "email", { Enabled?: boolean; PreferredMfa?: boolean } | undefined][] = [
    ["SMS_MFA", "sms", input.SMSMfaSettings],
    ["SOFTWARE_TOKEN_MFA", "totp", input.SoftwareTokenMfaSettings],
    ["EMAIL_OTP", "email", input.EmailMfaSettings],
  ];
  const preferred = settings.filter(([, , s]) => s?.PreferredMfa === true);
  if (preferred.length > 1) throw errors.onePreferredMfa();
  for (const [factor, flag, s] of settings) {
    if (!s) continue;
    const on = s.Enabled ?? (s.PreferredMfa === true ? true : undefined);
    if (on === true) {
      if (!canUseFactor(user, factor)) throw errors.mfaDeliveryNotConfigured(factor);
      user.mfa[flag] = true;
    } else if (on === false) {
      if (s.PreferredMfa === true) throw errors.preferredMfaTurnedOff(factor);
      user.mfa[flag] = false;
      if (user.mfa.preferred === factor) delete user.mfa.preferred;
    }
    if (s.PreferredMfa === true) user.mfa.preferred = factor;
    else if (s.PreferredMfa === false && user.mfa.preferred === factor) delete user.mfa.preferred;
  }
}

/** An MFA_SETUP session as AssociateSoftwareToken and VerifySoftwareToken find it. */
export interface SetupSession {
  record: StoredChallenge;
  pool: StoredPool;
  client: StoredClient;
  user: StoredUser;
}

/**
 * The MFA_SETUP challenge a Session names (the calls that take it carry no ClientId), in one of
 * `stages` (`setup` as opened, `associated` after AssociateSoftwareToken, `verified` after
 * VerifySoftwareToken). Expired sessions are dropped and refused.
 */
export function setupSession(
  ctx: Pick<Services, "store" | "clock">,
  session: string,
  stages: readonly string[],
): SetupSession {
  const record = ctx.store.getChallenge(session);
  const pool = record ? ctx.store.getPool(record.poolId) : undefined;
  const client = record ? ctx.store.getClient(record.clientId) : undefined;
  const user = record && pool ? ctx.store.getUser(pool.id, record.username) : undefined;
  if (record?.challenge !== "MFA_SETUP" || !stages.includes(record.data.stage ?? "") || !pool || !client || !user) {
    throw errors.invalidSession();
  }
  if (ctx.clock.now() > record.expiresAt) {
    ctx.store.deleteChallenge(record.session);
    throw errors.sessionExpired();
  }
  return { record, pool, client, user };
}

/**
 * Replaces a setup session by a new one at the next stage (each Session is used once). The
 * device the sign-in named does not go along: amazon-cognito-identity-js and Amplify both take
 * tokens straight after the MFA_SETUP answer and never answer a device proof there, so the
 * sign-in ends with tokens and a new device (docs/decisions/0019).
 */
export function advanceSetup(
  ctx: Pick<Services, "store" | "clock">,
  s: SetupSession,
  data: Record<string, string>,
): string {
  ctx.store.deleteChallenge(s.record.session);
  return openChallenge(ctx, s.pool, s.client, s.user, "MFA_SETUP", data).session;
}
