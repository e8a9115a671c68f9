// Records the store keeps. They are plain JSON (times in epoch milliseconds) so that a journal
// or snapshot can write them as they are; the wire shapes are derived from them by operations.
import type {
  AccountTakeoverRiskConfigurationType,
  AttributeType,
  CompromisedCredentialsRiskConfigurationType,
  EmailMfaConfigType,
  GroupType,
  IdentityProviderType,
  LogConfigurationType,
  RiskExceptionConfigurationType,
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
  /** Terms documents by TermsId (CreateTerms): linked from the clients' managed login sign-up pages (domain/terms.ts). */
  terms?: Record<string, TermsRecord>;
  /**
   * SetLogDeliveryConfiguration's LogConfigurations, as Cognito echoes them. Stored and described;
   * no logs are delivered offline (domain/log-delivery.ts, docs/pool-settings.md).
   */
  logDelivery?: Wire<LogConfigurationType>[];
  /** User import jobs by JobId (CreateUserImportJob, domain/user-import/); their CSV uploads live in memory. */
  userImportJobs?: Record<string, UserImportJobRecord>;
  /**
   * Managed login branding styles by ManagedLoginBrandingId (CreateManagedLoginBranding): at most
   * one per app client, reflected in the version 2 pages (domain/branding.ts).
   */
  managedLoginBrandings?: Record<string, ManagedLoginBrandingRecord>;
  /**
   * Classic hosted UI customisations (SetUICustomization) by ClientId, or `ALL` for the pool's
   * default: reflected in the version 1 pages (domain/ui-customization.ts).
   */
  uiCustomizations?: Record<string, UICustomizationRecord>;
  /**
   * Threat protection: SetRiskConfiguration's settings (the pool's and each client's) and what the
   * test controls declared (compromised passwords, users' risk levels), domain/auth-events.ts.
   */
  risk?: RiskRecord;
}

/** A risk configuration (SetRiskConfiguration) as given; LastModifiedDate in epoch seconds. */
export interface RiskConfigurationRecord {
  CompromisedCredentialsRiskConfiguration?: Wire<CompromisedCredentialsRiskConfigurationType>;
  AccountTakeoverRiskConfiguration?: Wire<AccountTakeoverRiskConfigurationType>;
  RiskExceptionConfiguration?: Wire<RiskExceptionConfigurationType>;
  LastModifiedDate: number;
}

/** A pool's threat protection state (domain/auth-events.ts, docs/threat-protection.md). */
interface RiskRecord {
  /** The pool-wide risk configuration (SetRiskConfiguration without ClientId). */
  pool?: RiskConfigurationRecord;
  /** Risk configurations of app clients, by ClientId: each replaces the pool's for its client. */
  clients?: Record<string, RiskConfigurationRecord>;
  /** SHA-256 (hex) of the passwords a test declared compromised (`POST /_twin/compromised-passwords`). */
  compromisedPasswords?: string[];
  /** The risk level adaptive authentication assesses each user's sign-ins at, by sub (`POST /_twin/risk`). */
  riskLevels?: Record<string, "Low" | "Medium" | "High">;
}

/** One authentication event of a user (AdminListUserAuthEvents' AuthEventType); dates in epoch milliseconds. */
export interface AuthEventRecord {
  eventId: string;
  eventType: "SignIn" | "SignUp" | "ForgotPassword" | "PasswordChange" | "ResendCode";
  createdAt: number;
  response: "Pass" | "Fail" | "InProgress";
  risk: {
    RiskDecision?: "NoRisk" | "AccountTakeover" | "Block";
    RiskLevel?: "Low" | "Medium" | "High";
    CompromisedCredentialsDetected?: boolean;
  };
  challenges: { ChallengeName: "Password" | "Mfa"; ChallengeResponse: "Success" | "Failure" }[];
  context: { IpAddress?: string; DeviceName?: string; Timezone?: string; City?: string; Country?: string };
  feedback?: { FeedbackValue: "Valid" | "Invalid"; Provider: string; FeedbackDate: number };
  /** True while a challenge the password led to (MFA, a new password...) is unanswered: the sign-in that ends it completes this event. */
  open?: boolean;
}

/** One image of a branding style (AssetType): Bytes as the base64 the wire carries. */
export interface BrandingAssetRecord {
  Category: string;
  ColorMode: string;
  Extension: string;
  Bytes?: string;
  ResourceId?: string;
}

/** A managed login branding style: the customised values only (defaults are merged on reading). */
export interface ManagedLoginBrandingRecord {
  /** A UUID v4 (ManagedLoginBrandingIdType). */
  id: string;
  clientId: string;
  useCognitoProvidedValues: boolean;
  /** The Settings document as given (a JSON object; unknown keys kept). */
  settings: Record<string, unknown>;
  assets: BrandingAssetRecord[];
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

/** A classic hosted UI customisation: the CSS as given and the logo. */
export interface UICustomizationRecord {
  css?: string;
  /** The logo, base64, and its type (from its bytes): PNG or JPEG. */
  image?: { bytes: string; type: "png" | "jpeg" };
  /** `yyyyMMddHHmmss` of the last SetUICustomization, as Cognito's CSSVersion looks. */
  cssVersion: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

/** A user import job: what DescribeUserImportJob answers, less what is derived (PreSignedUrl, Expired). */
export interface UserImportJobRecord {
  jobId: string;
  jobName: string;
  cloudWatchLogsRoleArn: string;
  /** As stored: Created, Pending, InProgress, Stopping, Stopped, Failed or Succeeded (Expired is derived). */
  status: "Created" | "Pending" | "InProgress" | "Stopping" | "Stopped" | "Failed" | "Succeeded";
  /** Epoch milliseconds. */
  createdAt: number;
  startedAt?: number;
  completedAt?: number;
  imported: number;
  skipped: number;
  failed: number;
  completionMessage?: string;
  /** The pre-signed upload URL's X-Amz-Signature (random hex): what a PUT of the CSV must present. */
  uploadSignature: string;
}

/** A terms document of an app client (CreateTerms): one per client and TermsName. */
export interface TermsRecord {
  /** A UUID v4, as the model's TermsIdType pattern has it. */
  termsId: string;
  clientId: string;
  /** `terms-of-use` or `privacy-policy`. */
  termsName: string;
  termsSource: string;
  enforcement: string;
  /** Language (`cognito:default`, `cognito:spanish`...) to URL. */
  links: Record<string, string>;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

/** One secret of an app client (AddUserPoolClientSecret): a client may have two at once. */
export interface ClientSecretRecord {
  /** `<client-id>--<epoch-create-time>`, as the model describes ClientSecretId. */
  id: string;
  value: string;
  /** Epoch milliseconds. */
  createdAt: number;
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
  /** `ClientSecret` here is the client's oldest secret (what DescribeUserPoolClient shows). */
  client: Wire<UserPoolClientType>;
  /**
   * Every secret of the client, oldest first, once AddUserPoolClientSecret has been used: each of
   * them is accepted wherever the secret is checked (domain/client-secrets.ts). Absent: the one
   * secret is `client.ClientSecret`.
   */
  secrets?: ClientSecretRecord[];
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
  /**
   * New values of email / phone_number waiting for verification, by attribute name, in a pool
   * whose AttributesRequireVerificationBeforeUpdate lists them: `attributes` keep the verified
   * value until VerifyUserAttribute confirms the new one (domain/users/pending-updates.ts).
   */
  pendingAttributes?: Record<string, string>;
  /** Threat protection's record of the user's sign-ins, newest first, at most AUTH_EVENTS_KEPT (domain/auth-events.ts). */
  authEvents?: AuthEventRecord[];
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
    /** Passkey MFA turned on (WebAuthnMfaSettings; acted on where the pool allows it, webauthn/relying-party.ts). */
    webAuthn?: boolean;
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
