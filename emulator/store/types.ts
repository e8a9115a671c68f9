// Records the store keeps. They are plain JSON (times in epoch milliseconds) so that a journal
// or snapshot can write them as they are; the wire shapes are derived from them by operations.
import type {
  AttributeType,
  EmailMfaConfigType,
  GroupType,
  SmsMfaConfigType,
  SoftwareTokenMfaConfigType,
  UserPoolClientType,
  UserPoolMfaType,
  UserPoolType,
  UserStatusType,
  WebAuthnConfigurationType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";

/** A pool's signing key pair, as JWKs (the private one never leaves the process). */
export interface SigningKey {
  kid: string;
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
}

/** A user pool and what hangs off it that is not a user, client or group. */
export interface PoolRecord {
  id: string;
  /** Exactly what DescribeUserPool answers (dates as epoch seconds). */
  pool: Wire<UserPoolType>;
  tags: Record<string, string>;
  mfa: {
    MfaConfiguration: UserPoolMfaType;
    SoftwareTokenMfaConfiguration?: Wire<SoftwareTokenMfaConfigType>;
    SmsMfaConfiguration?: Wire<SmsMfaConfigType>;
    EmailMfaConfiguration?: Wire<EmailMfaConfigType>;
    WebAuthnConfiguration?: Wire<WebAuthnConfigurationType>;
  };
  /** Token signing keys (generated on first use): access and id tokens use different keys. */
  keys?: { access: SigningKey; id: SigningKey };
}

/** An app client. */
export interface ClientRecord {
  poolId: string;
  client: Wire<UserPoolClientType>;
}

/** A group of a pool. */
export interface GroupRecord {
  poolId: string;
  group: Wire<GroupType>;
}

/** Why a one-time code was issued. */
export type CodePurpose = "signUp" | "forgotPassword" | `verify:${string}` | "mfa";

/** A code Cognito would have sent, as the user would type it. */
interface CodeRecord {
  code: string;
  expiresAt: number;
  attempts: number;
}

/** A stored password: never the password itself. */
export interface PasswordRecord {
  /** `scrypt-k$N$r$p$keySalt$salt$mac` (or the first form `scrypt$N$r$p$salt$hash`), see emulator/domain/passwords.ts. */
  hash: string;
  /** SRP-6a verifier and salt (hex), kept beside the hash for USER_SRP_AUTH. */
  srp?: { salt: string; verifier: string };
  setAt: number;
  /** Set for a temporary (admin-created) password: when it stops working. */
  temporaryUntil?: number;
}

/** A user of a pool. */
export interface UserRecord {
  poolId: string;
  /** The username as created (for email/phone-as-username pools, a generated UUID). */
  username: string;
  sub: string;
  attributes: AttributeType[];
  status: UserStatusType;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  password?: PasswordRecord;
  codes: Partial<Record<CodePurpose, CodeRecord>>;
  /** Wrong passwords since the last successful sign-in, and the lock they caused. */
  failedSignIns: number;
  lockedUntil?: number;
  groups: string[];
  mfa: {
    preferred?: "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP";
    sms: boolean;
    totp: boolean;
    email: boolean;
    totpSecret?: string;
    pendingTotpSecret?: string;
    /** VerifySoftwareToken's FriendlyDeviceName, echoed in SOFTWARE_TOKEN_MFA challenges. */
    totpDeviceName?: string;
    /** The last TOTP time step accepted: a code of that step or earlier is refused as reused. */
    totpLastStep?: number;
  };
}

/**
 * A sign-in session: one per successful authentication, named by the tokens' `origin_jti`.
 * Revoking it (RevokeToken, GlobalSignOut) revokes its refresh token and every access token
 * minted from it.
 */
export interface SessionRecord {
  originJti: string;
  poolId: string;
  clientId: string;
  username: string;
  sub: string;
  authTime: number;
  /** The current refresh token of the session (changes when rotation is on). */
  refreshToken: string;
  refreshExpiresAt: number;
  revoked: boolean;
  /** Refresh tokens retired by rotation, still accepted during the grace period until this time. */
  retired?: { token: string; until: number }[];
}

/** A challenge waiting for RespondToAuthChallenge, named by the opaque Session string. */
export interface ChallengeRecord {
  session: string;
  poolId: string;
  clientId: string;
  username: string;
  challenge: string;
  expiresAt: number;
  /** Whatever the challenge needs to check the answer (SRP b, B, secret block...). */
  data: Record<string, string>;
}
