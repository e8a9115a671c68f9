// Records the store keeps. They are plain JSON (times in epoch milliseconds) so that a journal
// or snapshot can write them as they are; the wire shapes are derived from them by operations.
import type {
  AttributeType,
  EmailMfaConfigType,
  GroupType,
  IdentityProviderType,
  SmsMfaConfigType,
  SoftwareTokenMfaConfigType,
  UserPoolClientType,
  UserPoolMfaType,
  UserPoolType,
  UserStatusType,
  WebAuthnConfigurationType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";

/**
 * `T` with every property and array, however deep, read-only. The store hands its records out
 * in this form: they are shared with the indexes (and with every request that read them), so
 * nobody may change one in place. A change is made on a copy (updateUser in
 * domain/users/update.ts, cloneUser) and written back with a put.
 */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer E)[]
    ? readonly DeepReadonly<E>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

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
  /**
   * The pool's SAML signing key and certificate (GetSigningCertificate; signs AuthnRequests and
   * LogoutRequests), generated on first use (domain/federation/saml-keys.ts).
   */
  samlSigning?: { privateKey: string; certificate: string };
  /**
   * The pool's domains (CreateUserPoolDomain): at most one prefix domain and one custom domain,
   * as Cognito allows. `pool.Domain` / `pool.CustomDomain` mirror their names for DescribeUserPool.
   */
  domains?: DomainRecord[];
  /** Resource servers by identifier (CreateResourceServer): the custom scopes clients may ask for. */
  resourceServers?: Record<string, ResourceServerRecord>;
  /**
   * Identity providers by ProviderName (CreateIdentityProvider): the upstream OIDC, social and
   * SAML providers users may sign in through (domain/identity-providers.ts).
   */
  identityProviders?: Record<string, IdentityProviderRecord>;
}

/**
 * An identity provider of a pool: exactly what DescribeIdentityProvider answers (dates as
 * epoch seconds), ProviderDetails as Cognito echoes them.
 */
export interface IdentityProviderRecord {
  provider: Wire<IdentityProviderType>;
  /**
   * ProviderDetails Cognito keeps but never describes: Sign in with Apple's `private_key`, which
   * signs the client secret of the code exchange (domain/federation/social.ts).
   */
  secrets?: Record<string, string>;
}

/** A user-pool domain: where the managed login pages and the OAuth 2.0 endpoints answer. */
export interface DomainRecord {
  /** The prefix (`myapp`, reached as `myapp.auth.<region>.amazoncognito.com`) or the custom name. */
  domain: string;
  custom: boolean;
  /** Custom domains: the ACM certificate named at creation (stored and described, never used). */
  certificateArn?: string;
  /** 1: the classic hosted UI (the API's default); 2: managed login. */
  managedLoginVersion: number;
  createdAt: number;
}

/** A resource server: an API identifier and the custom scopes it defines (`<identifier>/<scope>`). */
export interface ResourceServerRecord {
  identifier: string;
  name: string;
  scopes: { ScopeName: string; ScopeDescription: string }[];
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

/**
 * Requests Cognito allows a user only so many of per hour (docs/decisions/0014):
 * `forgotPassword` counts ForgotPassword and ConfirmForgotPassword together.
 */
export type RateLimitedRequest =
  | "forgotPassword"
  | "resendConfirmationCode"
  | "confirmSignUp"
  | "changePassword"
  | "getUserAttributeVerificationCode"
  | "verifyUserAttribute";

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
  /** `scrypt$N$r$p$salt$hash`, a salt per hash (older data may hold `scrypt-k$...`), see emulator/crypto/password-hash.ts. */
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
  /** Until when sign-in is refused (`Password attempts exceeded`): after wrong passwords or MFA codes. */
  lockedUntil?: number;
  /**
   * Wrong MFA codes (SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP) since the last sign-in that passed
   * MFA; from the fifth they lock the user as wrong passwords do (docs/decisions/0014).
   */
  failedMfaCodes?: number;
  /** When the user made each request of a kind Cognito limits per user per hour, within the last hour. */
  recentRequests?: Partial<Record<RateLimitedRequest, number[]>>;
  groups: string[];
  /**
   * The external identities that sign in as this user (federation, domain/federation/users.ts):
   * a federated user's own identity (`primary`), or links made with AdminLinkProviderForUser on
   * a native user. The `identities` attribute is rendered from them.
   */
  identities?: LinkedIdentity[];
  /**
   * The user's confirmed devices (ConfirmDevice), kept with the user so they persist and go with
   * them (domain/devices.ts). A device key handed out in NewDeviceMetadata and never confirmed
   * lives only in its sign-in session.
   */
  devices?: DeviceRecord[];
  /** The user's passkeys, in the order registered (CompleteWebAuthnRegistration, domain/webauthn/). */
  webAuthnCredentials?: WebAuthnCredentialRecord[];
  /** The registration StartWebAuthnRegistration opened, until it is completed or expires (one at a time). */
  pendingWebAuthnRegistration?: PendingWebAuthnRegistration;
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

/** A device a user confirmed (ConfirmDevice): what device SRP authenticates, and what GetDevice shows. */
export interface DeviceRecord {
  /** `<region>_<uuid>`, as NewDeviceMetadata handed it out. */
  key: string;
  /** NewDeviceMetadata's DeviceGroupKey: the device SRP's "pool name" (domain/devices.ts). */
  groupKey: string;
  /** The device's SRP-6a salt and verifier (hex), from DeviceSecretVerifierConfig. */
  srp: { salt: string; verifier: string };
  /** ConfirmDevice's DeviceName, when one was given. */
  name?: string;
  /** `remembered`: device sign-ins may skip MFA (per the pool's DeviceConfiguration). */
  remembered: boolean;
  /** The address of the last call that confirmed or authenticated the device. */
  lastIp?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  lastAuthenticatedAt: number;
}

/** A registered passkey: what verifying its assertions needs, and what ListWebAuthnCredentials shows. */
export interface WebAuthnCredentialRecord {
  /** The credential ID, base64url (as the authenticator's `rawId`). */
  credentialId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The signature counter last seen (0 for authenticators that keep none). */
  counter: number;
  /** The relying party ID it was registered for. */
  relyingPartyId: string;
  friendlyName: string;
  /** `platform` or `cross-platform`, when the client said. */
  attachment?: string;
  /** The transports the client reported (`internal`, `usb`, `hybrid`...). */
  transports: string[];
  /** The authenticator model's AAGUID (all zeros for most "none" attestations). */
  aaguid: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** A StartWebAuthnRegistration challenge waiting for CompleteWebAuthnRegistration. */
export interface PendingWebAuthnRegistration {
  /** The challenge, base64url, as CredentialCreationOptions carried it. */
  challenge: string;
  /** The app client of the access token that started it. */
  clientId: string;
  relyingPartyId: string;
  userVerification: "required" | "preferred";
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** One external identity of a user: who, at which identity provider, signs in as the user. */
export interface LinkedIdentity {
  /** The identity provider's ProviderName (`Google`, `MyOIDC`...). */
  providerName: string;
  /** Its ProviderType (`Google`, `OIDC`, `SAML`...). */
  providerType: string;
  /**
   * What identifies the upstream user: `Cognito_Subject` (the upstream subject), or, for a link
   * made with a mapped attribute (AdminLinkProviderForUser), the pool attribute it matches.
   */
  attributeName: string;
  /** The upstream subject, or the attribute's value. */
  value: string;
  /** The federated user's own identity (true), or a link to a native user (false). */
  primary: boolean;
  /** When the identity was added, epoch milliseconds (the attribute's `dateCreated`). */
  dateCreated: number;
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
  /**
   * The OAuth 2.0 scopes granted, for a session opened at the token endpoint (managed login):
   * its tokens carry them. Absent for API sign-ins, whose access tokens carry
   * `aws.cognito.signin.user.admin` only.
   */
  scopes?: string[];
  /**
   * The device the sign-in was bound to (pools that track devices): the key handed out in
   * NewDeviceMetadata, or the device that authenticated. Its tokens carry `device_key`, and its
   * refresh token works only with that DEVICE_KEY (domain/devices.ts).
   */
  device?: { key: string; groupKey: string; confirmed: boolean };
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
  /** Wrong answers given with this session so far; the session ends at the limit (docs/decisions/0014). */
  wrongAnswers?: number;
}

/** A pool as the store hands it out (read-only). */
export type StoredPool = DeepReadonly<PoolRecord>;
/** An app client as the store hands it out (read-only). */
export type StoredClient = DeepReadonly<ClientRecord>;
/** A group as the store hands it out (read-only). */
export type StoredGroup = DeepReadonly<GroupRecord>;
/** A user as the store hands it out (read-only): change a copy, with updateUser. */
export type StoredUser = DeepReadonly<UserRecord>;
/** A sign-in session as the store hands it out (read-only). */
export type StoredSession = DeepReadonly<SessionRecord>;
/** A pending challenge as the store hands it out (read-only). */
export type StoredChallenge = DeepReadonly<ChallengeRecord>;
