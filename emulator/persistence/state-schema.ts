// The schema of every record a state document (and a journal line) can hold, checked with zod
// before any of it reaches the store. A record the store or an operation would trip over later
// (a user without `mfa`, a client without its id) is refused with the field named, instead of
// being loaded and answering 500 on the next call. The shapes are emulator/store/types.ts's.
//
// It uses zod's tree-shakable `zod/mini` build: a few kilobytes and milliseconds at start-up
// instead of the classic build's ~50 ms (the start-up budget is 150 ms, bench/startup.mjs); the
// messages are worded here, from the issue and the value, rather than by zod's locales.
//
// Our own records (users, sessions...) name every field; the AWS shapes kept inside pools,
// clients and groups (`pool`, `client`, `group`: the SDK's UserPoolType etc. with epoch-second
// dates) check the fields the emulator reads and keep any others as they are. Unknown fields
// are kept, not refused, so a record never loses data by being loaded.
import * as z from "zod/mini";
import type { IdentityPoolRecord, IdentityRecord } from "../store/identity-types.js";
import type { TableName } from "../store/store.js";
import type {
  ChallengeRecord,
  ClientRecord,
  GroupRecord,
  PoolRecord,
  SessionRecord,
  UserRecord,
} from "../store/types.js";

const str = z.string();
const nonEmpty = z.string().check(z.minLength(1, "must be a non-empty string"));
const num = z.number();
const bool = z.boolean();
const strings = z.array(z.string());
const stringMap = z.record(z.string(), z.string());
const jsonObject = z.record(z.string(), z.unknown());

const USER_STATUSES = [
  "UNCONFIRMED",
  "CONFIRMED",
  "ARCHIVED",
  "COMPROMISED",
  "UNKNOWN",
  "RESET_REQUIRED",
  "FORCE_CHANGE_PASSWORD",
  "EXTERNAL_PROVIDER",
] as const;
const MFA_CONFIGURATIONS = ["OFF", "ON", "OPTIONAL"] as const;

// ---- pools

const signingKey = z.looseObject({ kid: nonEmpty, privateJwk: jsonObject, publicJwk: jsonObject });

const schemaAttribute = z.looseObject({
  Name: nonEmpty,
  AttributeDataType: z.optional(str),
  DeveloperOnlyAttribute: z.optional(bool),
  Mutable: z.optional(bool),
  Required: z.optional(bool),
  NumberAttributeConstraints: z.optional(jsonObject),
  StringAttributeConstraints: z.optional(jsonObject),
});

const passwordPolicy = z.looseObject({
  MinimumLength: z.optional(num),
  RequireUppercase: z.optional(bool),
  RequireLowercase: z.optional(bool),
  RequireNumbers: z.optional(bool),
  RequireSymbols: z.optional(bool),
  PasswordHistorySize: z.optional(num),
  TemporaryPasswordValidityDays: z.optional(num),
});

/** Wire<UserPoolType>: what DescribeUserPool answers. */
const userPool = z.looseObject({
  Id: nonEmpty,
  Name: z.optional(str),
  Arn: z.optional(str),
  CreationDate: z.optional(num),
  LastModifiedDate: z.optional(num),
  Policies: z.optional(z.looseObject({ PasswordPolicy: z.optional(passwordPolicy) })),
  SchemaAttributes: z.optional(z.array(schemaAttribute)),
  AutoVerifiedAttributes: z.optional(strings),
  UsernameAttributes: z.optional(strings),
  AliasAttributes: z.optional(strings),
  UsernameConfiguration: z.optional(z.looseObject({ CaseSensitive: z.optional(bool) })),
  MfaConfiguration: z.optional(z.enum(MFA_CONFIGURATIONS)),
  UserPoolTags: z.optional(stringMap),
  LambdaConfig: z.optional(jsonObject),
  SmsConfiguration: z.optional(jsonObject),
  EmailConfiguration: z.optional(jsonObject),
  AdminCreateUserConfig: z.optional(jsonObject),
  AccountRecoverySetting: z.optional(
    z.looseObject({ RecoveryMechanisms: z.optional(z.array(z.looseObject({ Priority: num, Name: str }))) }),
  ),
  UserAttributeUpdateSettings: z.optional(
    z.looseObject({ AttributesRequireVerificationBeforeUpdate: z.optional(strings) }),
  ),
  DeletionProtection: z.optional(str),
  UserPoolTier: z.optional(str),
  EstimatedNumberOfUsers: z.optional(num),
});

/** A domain of the pool (CreateUserPoolDomain). */
const domainRecord = z.looseObject({
  domain: nonEmpty,
  custom: bool,
  certificateArn: z.optional(str),
  managedLoginVersion: num,
  createdAt: num,
});

/** A resource server of the pool (CreateResourceServer), under its identifier. */
const resourceServerRecord = z.looseObject({
  identifier: nonEmpty,
  name: str,
  scopes: z.array(z.looseObject({ ScopeName: nonEmpty, ScopeDescription: str })),
});

const IDENTITY_PROVIDER_TYPES = ["SAML", "Facebook", "Google", "LoginWithAmazon", "SignInWithApple", "OIDC"] as const;

/** An identity provider of the pool (CreateIdentityProvider), under its ProviderName: Wire<IdentityProviderType>. */
const identityProviderRecord = z.looseObject({
  provider: z.looseObject({
    UserPoolId: z.optional(str),
    ProviderName: nonEmpty,
    ProviderType: z.enum(IDENTITY_PROVIDER_TYPES),
    ProviderDetails: z.optional(stringMap),
    AttributeMapping: z.optional(stringMap),
    IdpIdentifiers: z.optional(strings),
    LastModifiedDate: z.optional(num),
    CreationDate: z.optional(num),
  }),
});

/** A terms document of an app client (CreateTerms), under its TermsId. */
const termsRecord = z.looseObject({
  termsId: nonEmpty,
  clientId: nonEmpty,
  termsName: nonEmpty,
  termsSource: nonEmpty,
  enforcement: nonEmpty,
  links: stringMap,
  createdAt: num,
  updatedAt: num,
});

/** One of SetLogDeliveryConfiguration's LogConfigurations: Wire<LogConfigurationType>. */
const logConfiguration = z.looseObject({
  LogLevel: nonEmpty,
  EventSource: nonEmpty,
  CloudWatchLogsConfiguration: z.optional(z.looseObject({ LogGroupArn: z.optional(str) })),
  S3Configuration: z.optional(z.looseObject({ BucketArn: z.optional(str) })),
  FirehoseConfiguration: z.optional(z.looseObject({ StreamArn: z.optional(str) })),
});

const USER_IMPORT_STATUSES = [
  "Created",
  "Pending",
  "InProgress",
  "Stopping",
  "Stopped",
  "Failed",
  "Succeeded",
] as const;

/** A user import job of the pool (CreateUserImportJob), under its JobId. */
const userImportJobRecord = z.looseObject({
  jobId: nonEmpty,
  jobName: str,
  cloudWatchLogsRoleArn: str,
  status: z.enum(USER_IMPORT_STATUSES),
  createdAt: num,
  startedAt: z.optional(num),
  completedAt: z.optional(num),
  imported: num,
  skipped: num,
  failed: num,
  completionMessage: z.optional(str),
  uploadSignature: nonEmpty,
});

/** A managed login branding style (CreateManagedLoginBranding), under its id. */
const managedLoginBrandingRecord = z.looseObject({
  id: nonEmpty,
  clientId: nonEmpty,
  useCognitoProvidedValues: bool,
  settings: jsonObject,
  assets: z.array(
    z.looseObject({
      Category: nonEmpty,
      ColorMode: nonEmpty,
      Extension: nonEmpty,
      Bytes: z.optional(str),
      ResourceId: z.optional(str),
    }),
  ),
  createdAt: num,
  updatedAt: num,
});

/** A classic hosted UI customisation (SetUICustomization), under its ClientId or ALL. */
const uiCustomizationRecord = z.looseObject({
  css: z.optional(str),
  image: z.optional(z.looseObject({ bytes: str, type: z.enum(["png", "jpeg"]) })),
  cssVersion: nonEmpty,
  createdAt: num,
  updatedAt: num,
});

/** A risk configuration (SetRiskConfiguration): the AWS shapes as given, kept whole. */
const riskConfigurationRecord = z.looseObject({
  CompromisedCredentialsRiskConfiguration: z.optional(jsonObject),
  AccountTakeoverRiskConfiguration: z.optional(jsonObject),
  RiskExceptionConfiguration: z.optional(
    z.looseObject({ BlockedIPRangeList: z.optional(strings), SkippedIPRangeList: z.optional(strings) }),
  ),
  LastModifiedDate: num,
});

const RISK_LEVELS = ["Low", "Medium", "High"] as const;

/** A pool's threat protection state (domain/auth-events.ts). */
const riskRecord = z.looseObject({
  pool: z.optional(riskConfigurationRecord),
  clients: z.optional(z.record(z.string(), riskConfigurationRecord)),
  compromisedPasswords: z.optional(strings),
  riskLevels: z.optional(z.record(z.string(), z.enum(RISK_LEVELS))),
});

/** One authentication event of a user (AdminListUserAuthEvents). */
const authEventRecord = z.looseObject({
  eventId: nonEmpty,
  eventType: z.enum(["SignIn", "SignUp", "ForgotPassword", "PasswordChange", "ResendCode"]),
  createdAt: num,
  response: z.enum(["Pass", "Fail", "InProgress"]),
  risk: z.looseObject({
    RiskDecision: z.optional(z.enum(["NoRisk", "AccountTakeover", "Block"])),
    RiskLevel: z.optional(z.enum(RISK_LEVELS)),
    CompromisedCredentialsDetected: z.optional(bool),
  }),
  challenges: z.array(
    z.looseObject({
      ChallengeName: z.enum(["Password", "Mfa"]),
      ChallengeResponse: z.enum(["Success", "Failure"]),
    }),
  ),
  context: z.record(z.string(), z.string()),
  feedback: z.optional(
    z.looseObject({ FeedbackValue: z.enum(["Valid", "Invalid"]), Provider: str, FeedbackDate: num }),
  ),
  open: z.optional(bool),
});

const poolRecord = z.looseObject({
  id: nonEmpty,
  pool: userPool,
  tags: stringMap,
  mfa: z.looseObject({
    MfaConfiguration: z.enum(MFA_CONFIGURATIONS),
    SoftwareTokenMfaConfiguration: z.optional(jsonObject),
    SmsMfaConfiguration: z.optional(jsonObject),
    EmailMfaConfiguration: z.optional(jsonObject),
    WebAuthnConfiguration: z.optional(jsonObject),
  }),
  keys: z.optional(z.looseObject({ access: signingKey, id: signingKey })),
  samlSigning: z.optional(z.looseObject({ privateKey: nonEmpty, certificate: nonEmpty })),
  domains: z.optional(z.array(domainRecord)),
  resourceServers: z.optional(z.record(z.string(), resourceServerRecord)),
  identityProviders: z.optional(z.record(z.string(), identityProviderRecord)),
  terms: z.optional(z.record(z.string(), termsRecord)),
  logDelivery: z.optional(z.array(logConfiguration)),
  userImportJobs: z.optional(z.record(z.string(), userImportJobRecord)),
  managedLoginBrandings: z.optional(z.record(z.string(), managedLoginBrandingRecord)),
  uiCustomizations: z.optional(z.record(z.string(), uiCustomizationRecord)),
  risk: z.optional(riskRecord),
});

// ---- clients and groups

/** Wire<UserPoolClientType>: what DescribeUserPoolClient answers. */
const userPoolClient = z.looseObject({
  ClientId: nonEmpty,
  UserPoolId: z.optional(str),
  ClientName: z.optional(str),
  ClientSecret: z.optional(str),
  CreationDate: z.optional(num),
  LastModifiedDate: z.optional(num),
  RefreshTokenValidity: z.optional(num),
  AccessTokenValidity: z.optional(num),
  IdTokenValidity: z.optional(num),
  TokenValidityUnits: z.optional(stringMap),
  ReadAttributes: z.optional(strings),
  WriteAttributes: z.optional(strings),
  ExplicitAuthFlows: z.optional(strings),
  SupportedIdentityProviders: z.optional(strings),
  CallbackURLs: z.optional(strings),
  LogoutURLs: z.optional(strings),
  AllowedOAuthFlows: z.optional(strings),
  AllowedOAuthScopes: z.optional(strings),
  AllowedOAuthFlowsUserPoolClient: z.optional(bool),
  PreventUserExistenceErrors: z.optional(str),
  EnableTokenRevocation: z.optional(bool),
  EnablePropagateAdditionalUserContextData: z.optional(bool),
  AuthSessionValidity: z.optional(num),
  RefreshTokenRotation: z.optional(
    z.looseObject({ Feature: z.optional(str), RetryGracePeriodSeconds: z.optional(num) }),
  ),
});

/** A client secret (AddUserPoolClientSecret). */
const clientSecretRecord = z.looseObject({ id: nonEmpty, value: nonEmpty, createdAt: num });

const clientRecord = z.looseObject({
  poolId: nonEmpty,
  client: userPoolClient,
  secrets: z.optional(z.array(clientSecretRecord)),
});

/** Wire<GroupType>. */
const group = z.looseObject({
  GroupName: nonEmpty,
  UserPoolId: z.optional(str),
  Description: z.optional(str),
  RoleArn: z.optional(str),
  Precedence: z.optional(num),
  CreationDate: z.optional(num),
  LastModifiedDate: z.optional(num),
});

const groupRecord = z.looseObject({ poolId: nonEmpty, group });

// ---- users

const codeRecord = z.looseObject({ code: str, expiresAt: num, attempts: num });

const passwordRecord = z.looseObject({
  hash: nonEmpty,
  srp: z.optional(z.looseObject({ salt: str, verifier: str })),
  setAt: num,
  temporaryUntil: z.optional(num),
});

const userRecord = z.looseObject({
  poolId: nonEmpty,
  username: nonEmpty,
  sub: nonEmpty,
  attributes: z.array(z.looseObject({ Name: nonEmpty, Value: z.optional(str) })),
  status: z.enum(USER_STATUSES),
  enabled: bool,
  createdAt: num,
  updatedAt: num,
  password: z.optional(passwordRecord),
  codes: z.record(
    z.string().check(z.regex(/^(signUp|forgotPassword|mfa|verify:.+)$/, "is not a code purpose")),
    codeRecord,
  ),
  failedSignIns: num,
  lockedUntil: z.optional(num),
  failedMfaCodes: z.optional(num),
  recentRequests: z.optional(
    z.record(
      z
        .string()
        .check(
          z.regex(
            /^(forgotPassword|resendConfirmationCode|confirmSignUp|changePassword|getUserAttributeVerificationCode|verifyUserAttribute)$/,
            "is not a limited request",
          ),
        ),
      z.array(num),
    ),
  ),
  groups: strings,
  identities: z.optional(
    z.array(
      z.looseObject({
        providerName: nonEmpty,
        providerType: nonEmpty,
        attributeName: nonEmpty,
        value: nonEmpty,
        primary: bool,
        dateCreated: num,
      }),
    ),
  ),
  devices: z.optional(
    z.array(
      z.looseObject({
        key: nonEmpty,
        groupKey: nonEmpty,
        srp: z.looseObject({ salt: nonEmpty, verifier: nonEmpty }),
        name: z.optional(str),
        remembered: bool,
        lastIp: z.optional(str),
        createdAt: num,
        updatedAt: num,
        lastAuthenticatedAt: num,
      }),
    ),
  ),
  webAuthnCredentials: z.optional(
    z.array(
      z.looseObject({
        credentialId: nonEmpty,
        publicKey: nonEmpty,
        counter: num,
        relyingPartyId: nonEmpty,
        friendlyName: str,
        attachment: z.optional(str),
        transports: strings,
        aaguid: str,
        createdAt: num,
      }),
    ),
  ),
  authEvents: z.optional(z.array(authEventRecord)),
  pendingAttributes: z.optional(
    z.record(z.string().check(z.regex(/^(email|phone_number)$/, "is not a verifiable attribute")), str),
  ),
  pendingWebAuthnRegistration: z.optional(
    z.looseObject({
      challenge: nonEmpty,
      clientId: nonEmpty,
      relyingPartyId: nonEmpty,
      userVerification: z.enum(["required", "preferred"]),
      expiresAt: num,
    }),
  ),
  mfa: z.looseObject({
    preferred: z.optional(z.enum(["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"])),
    sms: bool,
    totp: bool,
    email: bool,
    totpSecret: z.optional(str),
    pendingTotpSecret: z.optional(str),
    totpDeviceName: z.optional(str),
    totpLastStep: z.optional(num),
    webAuthn: z.optional(bool),
  }),
});

// ---- sign-in sessions and challenges

const sessionRecord = z.looseObject({
  originJti: nonEmpty,
  poolId: nonEmpty,
  clientId: nonEmpty,
  username: nonEmpty,
  sub: nonEmpty,
  authTime: num,
  refreshToken: nonEmpty,
  refreshExpiresAt: num,
  revoked: bool,
  retired: z.optional(z.array(z.looseObject({ token: nonEmpty, until: num }))),
  scopes: z.optional(strings),
  device: z.optional(z.looseObject({ key: nonEmpty, groupKey: nonEmpty, confirmed: bool })),
});

const challengeRecord = z.looseObject({
  session: nonEmpty,
  poolId: nonEmpty,
  clientId: nonEmpty,
  username: nonEmpty,
  challenge: nonEmpty,
  expiresAt: num,
  data: stringMap,
  wrongAnswers: z.optional(num),
});

// ---- identity pools (docs/identity-pools.md)

const mappingRule = z.looseObject({ Claim: nonEmpty, MatchType: nonEmpty, Value: str, RoleARN: nonEmpty });
const identityPoolRecord = z.looseObject({
  id: nonEmpty,
  name: nonEmpty,
  allowUnauthenticated: bool,
  allowClassicFlow: z.optional(bool),
  supportedLoginProviders: z.optional(stringMap),
  developerProviderName: z.optional(nonEmpty),
  openIdConnectProviderArns: z.optional(strings),
  cognitoIdentityProviders: z.optional(
    z.array(
      z.looseObject({
        ProviderName: z.optional(str),
        ClientId: z.optional(str),
        ServerSideTokenCheck: z.optional(bool),
      }),
    ),
  ),
  samlProviderArns: z.optional(strings),
  tags: z.optional(stringMap),
  roles: z.optional(stringMap),
  roleMappings: z.optional(
    z.record(
      z.string(),
      z.looseObject({
        Type: nonEmpty,
        AmbiguousRoleResolution: z.optional(str),
        RulesConfiguration: z.optional(z.looseObject({ Rules: z.array(mappingRule) })),
      }),
    ),
  ),
  principalTagMaps: z.optional(z.record(z.string(), z.looseObject({ useDefaults: bool, tags: stringMap }))),
  key: z.optional(signingKey),
  createdAt: num,
});

const identityRecord = z.looseObject({
  id: nonEmpty,
  poolId: nonEmpty,
  logins: z.array(z.looseObject({ provider: nonEmpty, subject: nonEmpty })),
  createdAt: num,
  updatedAt: num,
});

/** The schema of each table's records. */
const RECORD_SCHEMAS: Record<TableName, z.ZodMiniType> = {
  pools: poolRecord,
  clients: clientRecord,
  groups: groupRecord,
  users: userRecord,
  sessions: sessionRecord,
  challenges: challengeRecord,
  identityPools: identityPoolRecord,
  identities: identityRecord,
};

/** What a record is called in messages: the table's singular and the record's identity. */
export function describeRecord(table: TableName, value: unknown): string {
  const v = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const inner = (name: string, field: string): unknown =>
    typeof v[name] === "object" && v[name] !== null ? (v[name] as Record<string, unknown>)[field] : undefined;
  const named = (what: string, id: unknown): string =>
    typeof id === "string" && id !== "" ? `${what} ${JSON.stringify(id)}` : what;
  const pool = typeof v.poolId === "string" && v.poolId !== "" ? ` of pool ${v.poolId}` : "";
  switch (table) {
    case "pools":
      return named("pool", v.id);
    case "clients":
      return named("client", inner("client", "ClientId")) + pool;
    case "groups":
      return named("group", inner("group", "GroupName")) + pool;
    case "users":
      return named("user", v.username) + pool;
    case "sessions":
      return named("session", v.originJti) + pool;
    case "challenges":
      return `challenge${pool}`;
    case "identityPools":
      return named("identity pool", v.id);
    case "identities":
      return named("identity", v.id) + (typeof v.poolId === "string" ? ` of identity pool ${v.poolId}` : "");
  }
}

/**
 * Checks one record against its table's schema. Answers undefined if it is fine, else what is
 * wrong, naming the fields: `mfa.sms is missing (expected boolean); status: expected one of...`.
 */
export function recordProblem(table: TableName, value: unknown): string | undefined {
  const result = RECORD_SCHEMAS[table].safeParse(value);
  if (result.success) return undefined;
  const issues = result.error.issues;
  const shown = issues.slice(0, 3).map((issue) => describeIssue(issue, value));
  return shown.join("; ") + (issues.length > 3 ? ` (and ${issues.length - 3} more)` : "");
}

/** One issue in words: the field's path, what was expected and what is there. */
function describeIssue(issue: z.core.$ZodIssue, record: unknown): string {
  const field = issue.path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
  let actual: unknown = record;
  for (const p of issue.path) actual = isRecord(actual) ? actual[p as string] : undefined;
  const at = (what: string): string => (field ? `${field}: ${what}` : what);
  switch (issue.code) {
    case "invalid_type":
      return actual === undefined
        ? `${field || "the record"} is missing (expected ${issue.expected})`
        : at(`expected ${issue.expected}, received ${kindOf(actual)}`);
    case "invalid_value":
      return at(
        `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, received ${JSON.stringify(actual)}`,
      );
    case "invalid_key":
      return `${field}: the key ${JSON.stringify(issue.path.at(-1))} ${issue.issues[0]?.message ?? "is not allowed"}`;
    case "too_small":
    case "invalid_format":
      return field ? `${field} ${issue.message}` : issue.message;
    default:
      return at(issue.message);
  }
}

function isRecord(v: unknown): v is Record<string | number, unknown> {
  return typeof v === "object" && v !== null;
}

/** How a JSON value is named in messages. */
function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

// Every field of the store's records has a rule here: adding a field to emulator/store/types.ts
// without one fails the typecheck (a record would otherwise load unchecked in that field).
type Covers<Shape, T> = Exclude<keyof T, keyof Shape> extends never ? true : Exclude<keyof T, keyof Shape>;
const covered: {
  [K in TableName]: true;
} = {
  pools: true satisfies Covers<typeof poolRecord.shape, PoolRecord>,
  clients: true satisfies Covers<typeof clientRecord.shape, ClientRecord>,
  groups: true satisfies Covers<typeof groupRecord.shape, GroupRecord>,
  users: true satisfies Covers<typeof userRecord.shape, UserRecord>,
  sessions: true satisfies Covers<typeof sessionRecord.shape, SessionRecord>,
  challenges: true satisfies Covers<typeof challengeRecord.shape, ChallengeRecord>,
  identityPools: true satisfies Covers<typeof identityPoolRecord.shape, IdentityPoolRecord>,
  identities: true satisfies Covers<typeof identityRecord.shape, IdentityRecord>,
};
void covered;
