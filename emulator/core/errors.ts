// Cognito's errors: the CognitoError class, thrown anywhere and rendered once by the protocol's
// onError, and the catalogue of named constructors that is the only place one is built.
import type { IdentityModelException } from "../model/identity.js";
import type { ModelException } from "../model/index.js";

/**
 * Error types the emulator answers: the model's exceptions plus the protocol-level ones AWS's
 * JSON 1.1 front end produces before an operation runs.
 */
export type CognitoErrorType =
  | ModelException
  // The identity pools' API (AWSCognitoIdentityService) adds a few of its own (identityErrors below).
  | IdentityModelException
  | "SerializationException"
  | "UnknownOperationException"
  | "MissingAuthenticationTokenException"
  | "IncompleteSignatureException"
  | "InvalidSignatureException"
  | "RequestEntityTooLargeException"
  // AWS's common errors, answered by its front door (fault rules' http500 and http503, docs/faults.md).
  | "InternalFailure"
  | "ServiceUnavailable";

/**
 * An error Cognito would answer: HTTP 400 (what real Cognito sends even where the Smithy
 * model says otherwise), body `{"__type","message"}`.
 *
 * @example
 * throw errors.userNotFound(); // not `new CognitoError(...)`: the catalogue below has every message
 */
export class CognitoError extends Error {
  override readonly name = "CognitoError";
  constructor(
    readonly type: CognitoErrorType,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** How an operation words a password that breaks the pool's policy (checkPasswordPolicy). */
export type PasswordPolicyWording =
  | "did not conform with policy"
  | "does not conform to policy"
  | "with password policy";

/** The factors whose settings an MFA preference names. */
type MfaFactorName = "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP";

const err = (type: CognitoErrorType, message: string, status?: number) => new CognitoError(type, message, status);

// Wordings that more than one constructor shares (the same text under two error types).
const accountExistsMessage = (attribute: string) => `An account with the given ${attribute} already exists.`;
const secretNotReceivedMessage = (clientId: string, what: "SECRET_HASH" | "ClientSecret") =>
  `Client ${clientId} is configured with secret but ${what} was not received`;
const clientSecretMismatchMessage = (clientId: string) => `Unable to verify client secret for client ${clientId}`;
const missingParameterMessage = (name: string) => `Missing required parameter ${name}`;

/**
 * The error catalogue: one named constructor per message the emulator answers, in real Cognito's
 * words where they are known (CONTRIBUTING.md). Call sites throw these; nothing else builds a
 * CognitoError (lint/no-inline-cognito-error.grit).
 */
export const errors = {
  // --- Pools and clients -------------------------------------------------------------------

  /** ResourceNotFoundException: no pool with this id. */
  userPoolNotFound: (poolId: string) => err("ResourceNotFoundException", `User pool ${poolId} does not exist.`),
  /** ResourceNotFoundException: no app client with this id (in this pool). */
  clientNotFound: (clientId: string) =>
    err("ResourceNotFoundException", `User pool client ${clientId} does not exist.`),
  /** CreateUserPool (or a seed) with an id that is taken. */
  userPoolExists: (poolId: string) => err("InvalidParameterException", `User pool ${poolId} already exists.`),
  /** CreateUserPoolClient (or a seed) with a client id that is taken. */
  clientExists: (clientId: string) => err("InvalidParameterException", `User pool client ${clientId} already exists.`),
  /** CreateUserPool with both AliasAttributes and UsernameAttributes. */
  aliasAndUsernameAttributes: () =>
    err(
      "InvalidParameterException",
      "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
    ),
  /** DeleteUserPool on a pool with DeletionProtection ACTIVE. */
  deletionProtectionActive: () =>
    err(
      "InvalidParameterException",
      "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
    ),
  /** A client's token validity out of range; `what` is the token ("Access token"), `range` the allowed span in words. */
  tokenValidityOutOfRange: (what: string, range: string) =>
    err("InvalidParameterException", `${what} validity must be between ${range}.`),
  /** SetUserPoolMfaConfig turning MFA ON or OPTIONAL with no factor enabled (Cognito's text: docs/decisions/0030). */
  noMfaMethodEnabled: () =>
    err(
      "InvalidParameterException",
      "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
    ),
  /** A CreateUserPool Schema entry that changes `sub` (its own definition is accepted; docs/decisions/0028). */
  subNotModifiable: () => err("InvalidParameterException", "sub attribute cannot be modified."),
  /** A Schema entry for a standard attribute with another data type, or DeveloperOnlyAttribute (docs/decisions/0028). */
  standardAttributeTypeFixed: (name: string) =>
    err(
      "InvalidParameterException",
      `You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute ${name}`,
    ),
  /** A custom attribute (Schema, CustomAttributes) without AttributeDataType. */
  attributeDataTypeMissing: () =>
    err(
      "InvalidParameterException",
      "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.",
    ),
  /** A length or value constraint that is not a whole number; `kind` is the constraints member. */
  invalidSchemaConstraints: (kind: "StringAttributeConstraints" | "NumberAttributeConstraints", name: string) =>
    err("InvalidParameterException", `Invalid ${kind} for schema attribute ${name}`),
  /** A string attribute's MinLength or MaxLength over 2048. */
  stringAttributeTooLong: (name: string) =>
    err("InvalidParameterException", `user.${name}: String attributes cannot have a length of more than 2048`),
  /** A string attribute whose MinLength is over its MaxLength. */
  maxLengthBelowMinLength: (name: string) =>
    err("InvalidParameterException", `user.${name}: Max length cannot be less than min length.`),
  /** A number attribute whose MinValue is over its MaxValue. */
  maxValueBelowMinValue: (name: string) =>
    err("InvalidParameterException", `user.${name}: Max value cannot be less than min value.`),
  /** AddCustomAttributes (or a Schema) with a name the schema already has: `given` is `custom:<Name>`, `existing` the full name. */
  customAttributeExists: (given: string, existing: string) =>
    err("InvalidParameterException", `${given}: Existing attribute already has name ${existing}.`),
  /** AddCustomAttributes with Required: true. */
  requiredCustomAttribute: () =>
    err("InvalidParameterException", "Required custom attributes are not supported currently."),
  /** Tagging an ARN that names no pool. */
  resourceNotFound: (arn: string) => err("ResourceNotFoundException", `Resource ${arn} does not exist.`),
  /** No group with this name in the pool. */
  groupNotFound: () => err("ResourceNotFoundException", "Group not found."),
  /** CreateGroup with a name the pool has. */
  groupExists: (name: string) => err("GroupExistsException", `A group with the name ${name} already exists.`),

  // --- Domains, resource servers, app clients' OAuth settings (docs/decisions/0015) ----------

  /** A prefix (or a custom domain's label) outside [a-z0-9-], or with a hyphen at either end. */
  domainInvalidCharacter: () =>
    err(
      "InvalidParameterException",
      "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$",
    ),
  /** A prefix with `aws`, `amazon` or `cognito` as one of its hyphen-separated words. */
  domainReservedWord: (word: string) =>
    err("InvalidParameterException", `Domain cannot contain reserved word: ${word}`),
  /** A CustomDomainConfig with a name that is not a fully qualified domain name (the emulator's wording). */
  customDomainNotQualified: (domain: string) =>
    err(
      "InvalidParameterException",
      `Custom domain ${domain} must be a fully qualified domain name, such as auth.example.com.`,
    ),
  /** CreateUserPoolDomain with a name another pool (or this one) already has. */
  domainTaken: () => err("InvalidParameterException", "Domain already associated with another user pool."),
  /** CreateUserPoolDomain on a pool that has a domain of that kind (prefix or custom) already. */
  poolHasDomain: () => err("InvalidParameterException", "User pool already has a domain configured."),
  /** UpdateUserPoolDomain / DeleteUserPoolDomain naming a domain that this pool does not have. */
  domainNotFound: () => err("InvalidParameterException", "No such domain or user pool exists."),
  /** UpdateUserPoolDomain with a CustomDomainConfig for a prefix domain (the emulator's wording). */
  certificateOnPrefixDomain: () =>
    err("InvalidParameterException", "CustomDomainConfig can only be set for a custom domain."),
  /** A ManagedLoginVersion other than 1 or 2 (the emulator's wording). */
  managedLoginVersionInvalid: (version: number) =>
    err(
      "InvalidParameterException",
      `ManagedLoginVersion ${version} is not valid: use 1 (hosted UI classic) or 2 (managed login).`,
    ),
  /** A setting the pool's feature plan (UserPoolTier) does not include. */
  featureUnavailableInTier: (tier: string, feature: string) =>
    err(
      "FeatureUnavailableInTierException",
      `The following features need to be disabled for the ${tier} pricing tier configured: ${feature}`,
    ),
  /** DeleteUserPool on a pool that still has a domain (AWS's DeleteUserPool example). */
  poolDeletionBlockedByDomain: () =>
    err(
      "InvalidParameterException",
      "User pool cannot be deleted. It has a domain configured that should be deleted first.",
    ),
  /** CreateResourceServer with an identifier the pool has. */
  resourceServerExists: (identifier: string, poolId: string) =>
    err("InvalidParameterException", `${identifier} already exists in user pool ${poolId}.`),
  /** No resource server with this identifier in the pool. */
  resourceServerNotFound: (identifier: string) =>
    err("ResourceNotFoundException", `Resource server ${identifier} does not exist.`),
  /** A resource server's Scopes naming one scope twice (the emulator's wording). */
  duplicateScopeName: (name: string) => err("InvalidParameterException", `Scope name ${name} is given more than once.`),
  /** AllowedOAuthScopes with a scope that is neither standard nor one of the pool's resource servers. */
  scopeDoesNotExist: (scope: string) => err("ScopeDoesNotExistException", `Invalid scope requested: ${scope}`),
  /** AllowedOAuthFlowsUserPoolClient true without AllowedOAuthFlows or AllowedOAuthScopes. */
  oauthFlowsAndScopesRequired: () =>
    err(
      "InvalidParameterException",
      "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.",
    ),
  /** client_credentials together with code or implicit. */
  clientCredentialsWithOtherFlows: () =>
    err(
      "InvalidOAuthFlowException",
      "client_credentials flow can not be selected along with code flow or implicit flow.",
    ),
  /** client_credentials on a client without a secret. */
  clientCredentialsWithoutSecret: () =>
    err(
      "InvalidOAuthFlowException",
      "client_credentials flow can not be selected if client does not have a client secret.",
    ),
  /** client_credentials with a standard (user) scope such as openid. */
  scopeNotForClientCredentials: (scope: string) =>
    err("InvalidOAuthFlowException", `${scope} is not supported with client_credentials flow`),
  /** code or implicit enabled without CallbackURLs. */
  callbackUrlsRequired: () =>
    err("InvalidOAuthFlowException", "CallbackUrls can not be empty when code flow or implicit flow is selected"),
  /** A callback or sign-out URL that does not parse as an absolute URI (the emulator's wording). */
  redirectUrlNotAbsolute: (url: string) => err("InvalidParameterException", `${url} is not an absolute URI.`),
  /** A callback or sign-out URL with a #fragment. */
  redirectUrlWithFragment: (url: string) => err("InvalidParameterException", `${url} cannot use fragment`),
  /** A callback or sign-out URL on plain http to a host other than localhost, 127.0.0.1 or [::1]. */
  redirectUrlNotHttps: (url: string) => err("InvalidParameterException", `${url} cannot use the HTTP protocol.`),
  /** A DefaultRedirectURI that CallbackURLs does not list. */
  defaultRedirectUriNotInCallbacks: (uri: string) =>
    err("InvalidParameterException", `The default redirect URI ${uri} is not in the callback URIs list.`),
  /** SupportedIdentityProviders naming a provider the pool does not have. */
  identityProviderNotFound: (provider: string, poolId: string) =>
    err("InvalidParameterException", `The provider ${provider} does not exist for User Pool ${poolId}`),

  // --- Federation: identity providers and linked users (docs/decisions/0018) ----------------

  /** CreateIdentityProvider with a ProviderName the pool has (CloudTrail's wording, issue 1287 of the CloudFormation roadmap). */
  identityProviderExists: (name: string, poolId: string) =>
    err("DuplicateProviderException", `${name} already exists in user pool ${poolId}`),
  /** No identity provider with this name in the pool (the emulator's wording). */
  identityProviderMissing: (name: string) =>
    err("ResourceNotFoundException", `Identity provider ${name} does not exist.`),
  /** GetIdentityProviderByIdentifier naming an identifier no provider has (the emulator's wording). */
  idpIdentifierNotFound: (identifier: string) =>
    err("ResourceNotFoundException", `No identity provider has the identifier ${identifier}.`),
  /** IdpIdentifiers naming an identifier another provider of the pool (or this request) has (the emulator's wording). */
  idpIdentifierTaken: (identifier: string) =>
    err(
      "DuplicateProviderException",
      `The identifier ${identifier} is already used by an identity provider of this user pool.`,
    ),
  /** CreateIdentityProvider named after the pool's own users, COGNITO (the emulator's wording). */
  providerNameReserved: (name: string) =>
    err("InvalidParameterException", `ProviderName ${name} is reserved for the user pool's own users.`),
  /** UpdateIdentityProvider / DeleteIdentityProvider on COGNITO, which is not an identity provider of the pool (the emulator's wording). */
  cognitoProviderUnsupported: (name: string) =>
    err("UnsupportedIdentityProviderException", `${name} is the user pool's own directory, not an identity provider.`),
  /** A Google, Facebook, LoginWithAmazon or SignInWithApple provider named otherwise than its type (the emulator's wording). */
  socialProviderName: (type: string) =>
    err("InvalidParameterException", `The ProviderName of a ${type} identity provider must be ${type}.`),
  /**
   * ProviderDetails without a key the provider type needs; `keys` is Cognito's list, such as
   * "client_id, client_secret and authorize_scopes" (AWS's message, captured in Amplify issues).
   */
  providerDetailsRequired: (keys: string) => err("InvalidParameterException", `${keys} are all required idp details.`),
  /** SAML ProviderDetails with neither MetadataFile nor MetadataURL, or both (the emulator's wording). */
  samlMetadataRequired: () =>
    err(
      "InvalidParameterException",
      "Exactly one of MetadataFile or MetadataURL is required for a SAML identity provider.",
    ),
  /** A ProviderDetails key the provider type does not take (the emulator's wording). */
  providerDetailUnsupported: (key: string, type: string) =>
    err("InvalidParameterException", `ProviderDetails key ${key} is not supported for ${type} identity providers.`),
  /** A ProviderDetails value outside what its key takes; `expected` says what it takes (the emulator's wording). */
  providerDetailInvalid: (key: string, expected: string) =>
    err("InvalidParameterException", `ProviderDetails ${key} must be ${expected}.`),
  /** An AttributeMapping onto an attribute the pool's schema does not have (the emulator's wording). */
  attributeMappingNotInSchema: (name: string) =>
    err("InvalidParameterException", `AttributeMapping names ${name}, which is not an attribute of the user pool.`),
  /** CreateIdentityProvider on a pool at Cognito's quota of identity providers. */
  tooManyIdentityProviders: (max: number) =>
    err("LimitExceededException", `A user pool can have at most ${max} identity providers.`),
  /** AdminLinkProviderForUser with a SourceUser who has signed in already (AWS's message). */
  linkSourceSignedUp: () =>
    err(
      "InvalidParameterException",
      "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link",
    ),
  /** AdminLinkProviderForUser with a SourceUser that is linked already (AWS's message). */
  linkSourceAlreadyLinked: () => err("InvalidParameterException", "SourceUser is already linked to DestinationUser"),
  /** AdminLinkProviderForUser for a user with five linked identities (the documented maximum). */
  tooManyLinkedIdentities: () =>
    err("LimitExceededException", "The maximum number of federated identities linked to a user is five."),
  /** AdminLinkProviderForUser with a SourceUser of the pool's own directory (the emulator's wording). */
  linkSourceNotFederated: () =>
    err("InvalidParameterException", "SourceUser must be a user of an external identity provider, not a Cognito user."),
  /** A social provider's SourceUser (or User) named by an attribute other than Cognito_Subject (the emulator's wording). */
  linkSocialNeedsSubject: (provider: string) =>
    err(
      "InvalidParameterException",
      `ProviderAttributeName must be Cognito_Subject for the ${provider} identity provider.`,
    ),
  /** An OIDC or SAML SourceUser named by a pool attribute the provider's AttributeMapping does not map (the emulator's wording). */
  linkAttributeNotMapped: (attribute: string, provider: string) =>
    err(
      "InvalidParameterException",
      `ProviderAttributeName ${attribute} is not mapped by the AttributeMapping of ${provider}: use Cognito_Subject or a mapped attribute.`,
    ),
  /** AdminLinkProviderForUser with a DestinationUser that has an immutable custom attribute (documented; the emulator's wording). */
  linkDestinationImmutable: (attribute: string) =>
    err(
      "InvalidParameterException",
      `DestinationUser has the immutable attribute ${attribute}: all attributes of a linked user must be mutable.`,
    ),
  /** A ProviderUserIdentifierType without the member the call needs (the emulator's wording). */
  providerUserIncomplete: (member: string) => err("InvalidParameterException", missingParameterMessage(member)),

  // --- Users and attributes ----------------------------------------------------------------

  /** UserNotFoundException: no such user (or the user is gone). */
  userNotFound: () => err("UserNotFoundException", "User does not exist."),
  /** SignUp with a username that is taken. */
  userAlreadyExists: () => err("UsernameExistsException", "User already exists"),
  /** SignUp with an email or phone number (as username) that another user has. */
  usernameAttributeExists: (attribute: "email" | "phone_number") =>
    err("UsernameExistsException", accountExistsMessage(attribute)),
  /** AdminCreateUser with a username that is taken. */
  userAccountExists: () => err("UsernameExistsException", "User account already exists"),
  /** An attribute value another user signs in with (a username attribute or alias). */
  aliasExists: (attribute: string) => err("AliasExistsException", accountExistsMessage(attribute)),
  /** AdminCreateUser MessageAction RESEND for a user past FORCE_CHANGE_PASSWORD. */
  resendNotPossible: (username: string) =>
    err("UnsupportedUserStateException", `Resend not possible. ${username} status is not FORCE_CHANGE_PASSWORD.`),
  /** A username that is not an email, in a pool whose username attribute is email. */
  usernameShouldBeEmail: () => err("InvalidParameterException", "Username should be an email."),
  /** A username that is not a phone number, in a pool whose username attribute is phone_number. */
  usernameShouldBePhoneNumber: () => err("InvalidParameterException", "Username should be a phone number."),
  /** A username that is neither, in a pool that takes both email and phone_number as username. */
  usernameShouldBeEmailOrPhoneNumber: () =>
    err("InvalidParameterException", "Username should be either an email or a phone number."),
  /** SignUp without a Password. */
  passwordRequiredForSignUp: () => err("InvalidParameterException", "Password is required for sign-up."),
  /** AdminCreateUser's DesiredDeliveryMediums when the user has none of those attributes. */
  noDeliveryMediumAttribute: () =>
    err("InvalidParameterException", "User has no attribute matching desired delivery mediums"),
  /**
   * Attributes the pool's schema does not have, each on its own line: SignUp's wording ("Attributes did
   * not conform to the schema") or the one of the admin and update calls ("Invalid user attributes").
   */
  attributesNotInSchema: (names: readonly string[], wording: "signUp" | "update") =>
    err(
      "InvalidParameterException",
      wording === "signUp"
        ? `Attributes did not conform to the schema: ${names.map((n) => `${n}: Attribute does not exist in the schema.\n`).join("")}`
        : `Invalid user attributes: ${names.map((n) => `user.${n}: Attribute does not exist in the schema.\n`).join("")}`,
    ),
  /** Writing `sub`, or an attribute that is not Mutable after creation. */
  immutableAttribute: (name: string) =>
    err("InvalidParameterException", `Cannot modify an immutable attribute: ${name}`),
  /** A DeveloperOnlyAttribute written by a non-admin call. */
  developerOnlyAttribute: (name: string) =>
    err("InvalidParameterException", `Cannot modify a developer-only attribute: ${name}`),
  /** A Boolean attribute whose value is not "true" or "false". */
  attributeNotBoolean: (name: string) =>
    err("InvalidParameterException", `${name} attribute should be a boolean value.`),
  /** A Number attribute whose value is not a number. */
  attributeNotNumber: (name: string) => err("InvalidParameterException", `${name} attribute should be a number.`),
  /** A String attribute over its MaxLength. */
  attributeTooLong: (name: string, max: string | number) =>
    err("InvalidParameterException", `${name} attribute must be at most ${max} characters long.`),
  /** An email attribute that is not an address. */
  invalidEmailFormat: () => err("InvalidParameterException", "Invalid email address format."),
  /** A phone_number attribute that is not E.164. */
  invalidPhoneNumberFormat: () => err("InvalidParameterException", "Invalid phone number format."),
  /** Required attributes without a value, in schema order. */
  requiredAttributesMissing: (names: readonly string[]) =>
    err("InvalidParameterException", `Invalid attributes given, ${names.map((n) => `${n} is missing`).join(", ")}`),
  /** An attribute the app client's WriteAttributes does not list. */
  unauthorizedAttributeWrite: () => err("NotAuthorizedException", "A client attempted to write unauthorized attribute"),
  /** ListUsers' AttributesToGet naming an attribute the schema does not have. */
  unknownRequestedAttributes: () => err("InvalidParameterException", "One or more requested attributes do not exist."),
  /** ListUsers' Filter that does not parse. */
  filterParseError: () => err("InvalidParameterException", "Error while parsing filter."),
  /** ListUsers' Filter on an attribute that cannot be searched. */
  invalidSearchAttribute: (attribute: string) =>
    err("InvalidParameterException", `Invalid search attribute: ${attribute}`),
  /** A pagination token the emulator did not hand out. */
  invalidPaginationToken: () => err("InvalidParameterException", "Invalid pagination token."),
  /** ConfirmSignUp / AdminConfirmSignUp for a user who is not UNCONFIRMED. */
  cannotConfirm: (status: string) =>
    err("NotAuthorizedException", `User cannot be confirmed. Current status is ${status}`),
  /** ResendConfirmationCode for a confirmed user. */
  alreadyConfirmed: () => err("InvalidParameterException", "User is already confirmed."),
  /** ResendConfirmationCode when the pool auto-verifies nothing the user has. */
  autoVerificationOff: () => err("InvalidParameterException", "Cannot resend codes. Auto verification not turned on."),
  /** Verifying an attribute other than email or phone_number. */
  verificationNotSupported: (name: string) =>
    err("InvalidParameterException", `Verification is not supported for attribute ${name}.`),
  /** CreateUserPool / UpdateUserPool keeping an attribute's original value that the pool does not auto-verify (aws/aws-cli#7151). */
  verifyBeforeUpdateNotAutoVerified: () =>
    err(
      "InvalidParameterException",
      "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes",
    ),
  /** Asking for a verification code for an attribute the user has no value for. */
  attributeHasNoValue: (name: string) =>
    err("InvalidParameterException", `User does not have a value for the attribute: ${name}`),
  /** A password reset with nowhere to send its code. */
  noRecoveryDestination: () =>
    err(
      "InvalidParameterException",
      "Cannot reset password for the user as there is no registered/verified email or phone_number",
    ),
  /** A password reset for a user whose status does not allow one. */
  passwordResetNotAllowed: () => err("NotAuthorizedException", "User password cannot be reset in the current state."),
  /** ForgotPassword in a pool whose AccountRecoverySetting is admin_only. */
  recoveryAdminOnly: () => err("NotAuthorizedException", "Contact administrator to reset password."),
  /** ForgotPassword or ConfirmForgotPassword for a name the pool does not know, with PreventUserExistenceErrors LEGACY. */
  usernameClientNotFound: () => err("UserNotFoundException", "Username/client id combination not found."),
  /** InvalidPasswordException: `problem` is the first rule broken ("Password not long enough", ...). */
  passwordPolicy: (wording: PasswordPolicyWording, problem: string) =>
    err(
      "InvalidPasswordException",
      // AdminCreateUser's TemporaryPassword: "Password did not conform with password policy: ...".
      wording === "with password policy"
        ? `Password did not conform with password policy: ${problem}`
        : `Password ${wording}: ${problem}`,
    ),

  // --- Sign-in and challenges --------------------------------------------------------------

  /** A wrong password (or SRP proof), or an unknown user when the client hides users. */
  incorrectCredentials: () => err("NotAuthorizedException", "Incorrect username or password."),
  /** The user is disabled (sign-in, refresh, access tokens, challenges). */
  userDisabled: () => err("NotAuthorizedException", "User is disabled."),
  /** Sign-in while locked out after too many wrong passwords. */
  passwordAttemptsExceeded: () => err("NotAuthorizedException", "Password attempts exceeded"),
  /** Sign-in by an UNCONFIRMED user. */
  userNotConfirmed: () => err("UserNotConfirmedException", "User is not confirmed."),
  /** Sign-in by a RESET_REQUIRED user. */
  passwordResetRequired: () => err("PasswordResetRequiredException", "Password reset required for the user"),
  /** Sign-in with a temporary password past TemporaryPasswordValidityDays. */
  temporaryPasswordExpired: () =>
    err("NotAuthorizedException", "Temporary password has expired and must be reset by an administrator."),
  /** A client with a secret, and no SECRET_HASH given. */
  secretHashMissing: (clientId: string) =>
    err("NotAuthorizedException", secretNotReceivedMessage(clientId, "SECRET_HASH")),
  /** A SECRET_HASH that matches none of the user's names. */
  secretHashMismatch: (clientId: string) =>
    err("NotAuthorizedException", `Unable to verify secret hash for client ${clientId}`),
  /** GetTokensFromRefreshToken for a client with a secret, and no ClientSecret given. */
  clientSecretMissing: (clientId: string) =>
    err("NotAuthorizedException", secretNotReceivedMessage(clientId, "ClientSecret")),
  /** GetTokensFromRefreshToken with the wrong ClientSecret. */
  clientSecretMismatch: (clientId: string) => err("NotAuthorizedException", clientSecretMismatchMessage(clientId)),
  /** An auth flow the client's ExplicitAuthFlows do not allow (`flow` as Cognito names it). */
  flowNotEnabled: (flow: string) => err("InvalidParameterException", `${flow} flow not enabled for this client`),
  /** An AuthFlow the operation does not take. */
  authFlowNotSupported: () => err("InvalidParameterException", "Initiate Auth method not supported."),
  /** An AuthFlow Cognito has and the emulator does not serve yet. */
  flowNotImplemented: (flow: string) =>
    err("InvalidParameterException", `${flow} flow is not supported by cognito-twin yet.`),
  /** A challenge Cognito has and the emulator does not answer yet. */
  challengeNotImplemented: (name: string) =>
    err("InvalidParameterException", `${name} challenge is not supported by cognito-twin yet.`),
  /** A required auth or challenge parameter (USERNAME, PASSWORD, SRP_A, ...) that is absent or empty. */
  missingParameter: (name: string) => err("InvalidParameterException", missingParameterMessage(name)),
  /** AssociateSoftwareToken / VerifySoftwareToken with neither an AccessToken nor a Session. */
  missingAccessTokenOrSession: () =>
    err("InvalidParameterException", missingParameterMessage("AccessToken or Session")),
  /** AssociateSoftwareToken / VerifySoftwareToken with both an AccessToken and a Session. */
  accessTokenAndSession: () => err("InvalidParameterException", "Provide either AccessToken or Session, not both."),
  /** A challenge Session that is unknown, of another challenge, or not this user's. */
  invalidSession: () => err("NotAuthorizedException", "Invalid session for the user."),
  /** A challenge Session past its AuthSessionValidity. */
  sessionExpired: () => err("NotAuthorizedException", "Invalid session for the user, session is expired."),
  /** A challenge Session that a concurrent answer has already ended. */
  sessionAlreadyUsed: () =>
    err("NotAuthorizedException", "Invalid session for the user, session can only be used once."),
  /** USER_SRP_AUTH with an SRP_A that is not a valid group element. */
  invalidSrpA: () => err("InvalidParameterException", "SRP_A is not a valid SRP value."),
  /** PASSWORD_VERIFIER with a TIMESTAMP that does not parse. */
  invalidSrpTimestamp: () =>
    err("InvalidParameterException", "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."),

  // --- Codes ---------------------------------------------------------------------------------

  /** A confirmation or verification code that does not match. */
  codeMismatch: () => err("CodeMismatchException", "Invalid verification code provided, please try again."),
  /** A confirmation or verification code past its expiry, or none issued. */
  expiredCode: () => err("ExpiredCodeException", "Invalid code provided, please request a code again."),
  /** Too many wrong codes. */
  attemptLimitExceeded: () => err("LimitExceededException", "Attempt limit exceeded, please try after some time."),
  /** SOFTWARE_TOKEN_MFA with a code the authenticator did not produce. */
  totpCodeMismatch: () => err("CodeMismatchException", "Invalid code received for user"),
  /** SOFTWARE_TOKEN_MFA with a code whose time step was already accepted. */
  totpCodeReused: () => err("ExpiredCodeException", "Your software token has already been used once."),
  /** SMS_MFA / EMAIL_OTP with a code other than the one sent. */
  mfaCodeMismatch: () => err("CodeMismatchException", "Invalid code or auth state for the user."),

  // --- Tokens --------------------------------------------------------------------------------

  /** An access token that is not one (signature, issuer, token_use, claims). */
  invalidAccessToken: () => err("NotAuthorizedException", "Invalid Access Token"),
  /** An access token past its exp. */
  accessTokenExpired: () => err("NotAuthorizedException", "Access Token has expired"),
  /** An access token without the aws.cognito.signin.user.admin scope. */
  accessTokenMissingScope: () => err("NotAuthorizedException", "Access Token does not have required scopes"),
  /** An access token whose session was revoked (GlobalSignOut, RevokeToken, ...). */
  accessTokenRevoked: () => err("NotAuthorizedException", "Access Token has been revoked"),
  /** A refresh token the emulator did not issue, or one retired by rotation. */
  invalidRefreshToken: () => err("NotAuthorizedException", "Invalid Refresh Token."),
  /** A refresh token whose session was revoked, or whose user is gone. */
  refreshTokenRevoked: () => err("NotAuthorizedException", "Refresh Token has been revoked"),
  /** A refresh token past its validity. */
  refreshTokenExpired: () => err("NotAuthorizedException", "Refresh Token has expired"),
  /** RevokeToken with a ClientId that names no client. */
  revokeUnknownClient: (clientId: string) => err("UnauthorizedException", `Invalid client id ${clientId}.`),
  /** RevokeToken for a client with a secret, and no ClientSecret given. */
  revokeClientSecretMissing: (clientId: string) =>
    err("UnauthorizedException", secretNotReceivedMessage(clientId, "ClientSecret")),
  /** RevokeToken with the wrong ClientSecret. */
  revokeClientSecretMismatch: (clientId: string) => err("UnauthorizedException", clientSecretMismatchMessage(clientId)),
  /** RevokeToken for a token issued to another client. */
  revokeForeignToken: () => err("UnauthorizedException", "The refresh token was not issued to this client."),
  /** RevokeToken on a client with EnableTokenRevocation false. */
  revocationNotEnabled: () => err("UnsupportedOperationException", "Token revocation is not enabled for this client."),
  /** RevokeToken with an access or id token. */
  onlyRefreshTokensRevocable: () => err("UnsupportedTokenTypeException", "Only refresh tokens can be revoked."),

  // --- MFA -----------------------------------------------------------------------------------

  /** Turning on (or challenging with) SMS or email MFA for a user without that attribute. */
  mfaDeliveryNotConfigured: (factor: MfaFactorName) =>
    err("InvalidParameterException", `User does not have delivery config set to turn on ${factor}`),
  /**
   * WebAuthnMfaSettings Enabled in a pool whose WebAuthnConfiguration FactorConfiguration is not
   * MULTI_FACTOR_WITH_USER_VERIFICATION (the condition is AWS's; the wording is a guess, ADR 0021).
   */
  webAuthnMfaNotAllowed: () =>
    err(
      "InvalidParameterException",
      "Passkey MFA requires the user pool's WebAuthnConfiguration FactorConfiguration to be MULTI_FACTOR_WITH_USER_VERIFICATION.",
    ),
  /**
   * Passkey MFA on without another MFA method on, or the last other one turned off while it is on
   * ("at least one other MFA method ... to prevent account lockout"; the wording is a guess).
   */
  webAuthnMfaNeedsOtherFactor: () =>
    err(
      "InvalidParameterException",
      "Passkey MFA requires at least one other MFA method (SMS, TOTP or email) to be enabled for the user.",
    ),
  /** An MFA preference with more than one PreferredMfa. */
  onePreferredMfa: () => err("InvalidParameterException", "Only one MFA type can be set as preferred."),
  /** An MFA preference that prefers a factor it turns off. */
  preferredMfaTurnedOff: (factor: MfaFactorName) =>
    err("InvalidParameterException", `Cannot set ${factor} as preferred while turning it off.`),
  /** The pool has no TOTP factor (documented in the TOTP MFA guide). */
  totpNotEnabled: () =>
    err("SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool."),
  /** The user has no (pending or verified) authenticator. */
  totpNotFound: () => err("SoftwareTokenMFANotFoundException", "Software Token MFA does not exist for the user."),
  /** VerifySoftwareToken with a wrong code (may be retried). */
  enableTotpMismatch: () => err("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA"),
  /** SELECT_MFA_TYPE with an ANSWER outside MFAS_CAN_CHOOSE. */
  mfaAnswerNotAChoice: (choices: readonly string[]) =>
    err("InvalidParameterException", `ANSWER must be one of ${choices.join(", ")}.`),
  /** MFA_SETUP answered in a pool without TOTP. */
  mfaSetupNeedsTotp: () =>
    err(
      "InvalidParameterException",
      "MFA_SETUP can only be completed by setting up a software token (AssociateSoftwareToken, VerifySoftwareToken).",
    ),
  /** MFA_SETUP answered before VerifySoftwareToken. */
  totpNotVerified: () =>
    err(
      "InvalidParameterException",
      "Software token MFA has not been verified for the user: call AssociateSoftwareToken and VerifySoftwareToken with this Session first.",
    ),

  // --- Remembered devices (domain/devices.ts, docs/decisions/0019-remembered-devices.md) -----

  /**
   * A device key that is not one of the user's confirmed devices (unknown, forgotten, another
   * user's or pool's). Amplify and amazon-cognito-identity-js match this message to drop their
   * stored device and sign in again without it.
   */
  deviceNotFound: () => err("ResourceNotFoundException", "Device does not exist."),
  /** ConfirmDevice for a device key that is already confirmed (the message is not documented). */
  deviceKeyExists: () => err("DeviceKeyExistsException", "Device key already exists."),
  /** ConfirmDevice's DeviceSecretVerifierConfig that is not base64 of an SRP salt and verifier (not documented). */
  invalidDeviceVerifier: () =>
    err(
      "InvalidParameterException",
      "DeviceSecretVerifierConfig must hold a base64 PasswordVerifier and Salt of the device's SRP secret.",
    ),

  // --- Passkeys (WebAuthn; domain/webauthn/, docs/decisions/0021-passkeys.md) ----------------

  /** A passkey call in a pool whose sign-in policy does not allow WEB_AUTHN (or on the Lite plan). */
  webAuthnNotEnabled: () => err("WebAuthnNotEnabledException", "WebAuthn is not enabled for this user pool."),
  /** No WebAuthnConfiguration RelyingPartyId and no user pool domain to default it to. */
  webAuthnConfigurationMissing: () =>
    err(
      "WebAuthnConfigurationMissingException",
      "The user pool has no WebAuthn relying party ID configured and no domain to use as one.",
    ),
  /** CompleteWebAuthnRegistration without a live StartWebAuthnRegistration challenge, or with another challenge. */
  webAuthnChallengeNotFound: () =>
    err("WebAuthnChallengeNotFoundException", "The WebAuthn registration challenge was not found or has expired."),
  /** CompleteWebAuthnRegistration with an access token of another client than StartWebAuthnRegistration's. */
  webAuthnClientMismatch: () =>
    err(
      "WebAuthnClientMismatchException",
      "The access token belongs to a different app client than the one that started the registration.",
    ),
  /** A registration whose clientDataJSON origin is not the relying party ID or one of its subdomains. */
  webAuthnOriginNotAllowed: (origin: string, rpId: string) =>
    err("WebAuthnOriginNotAllowedException", `Origin ${origin} is not allowed for relying party ${rpId}.`),
  /** A registration whose authenticator data names another relying party than the pool's. */
  webAuthnRelyingPartyMismatch: (rpId: string) =>
    err(
      "WebAuthnRelyingPartyMismatchException",
      `The credential was created for a different relying party than ${rpId}.`,
    ),
  /** A credential of an algorithm, attestation or capability (user verification) the pool does not take. */
  webAuthnCredentialNotSupported: (why: string) =>
    err("WebAuthnCredentialNotSupportedException", `The passkey credential is not supported: ${why}.`),
  /** A Credential (or CREDENTIAL) that is not a WebAuthn response the emulator can read. */
  webAuthnCredentialMalformed: (why: string) =>
    err("InvalidParameterException", `The passkey credential is malformed: ${why}.`),
  /** A registration of a credential the user already has. */
  webAuthnCredentialExists: () =>
    err("InvalidParameterException", "The passkey credential is already registered for this user."),
  /** More passkeys than a user may have (Cognito's quota, 20). */
  webAuthnCredentialLimit: (max: number) =>
    err("LimitExceededException", `A user can have at most ${max} registered passkeys.`),
  /** DeleteWebAuthnCredential naming no credential of this user. */
  webAuthnCredentialNotFound: () => err("ResourceNotFoundException", "Credential not found."),
  /** A WEB_AUTHN answer that does not prove the passkey (challenge, origin, RP ID, signature, counter, unknown credential). */
  webAuthnAssertionFailed: () => err("NotAuthorizedException", "Failed to verify the passkey assertion."),
  /** SetUserPoolMfaConfig with a RelyingPartyId that is not a host name. */
  relyingPartyIdInvalid: (rpId: string) =>
    err("InvalidParameterException", `RelyingPartyId ${rpId} is not a valid domain name.`),

  // --- Choice-based sign-in (USER_AUTH; domain/user-auth.ts, docs/decisions/0020-user-auth.md) --

  /** A SignInPolicy whose AllowedFirstAuthFactors leaves out PASSWORD (the emulator's wording). */
  signInPolicyNeedsPassword: () => err("InvalidParameterException", "AllowedFirstAuthFactors must include PASSWORD."),
  /** EMAIL_OTP as a first factor without Amazon SES (EmailSendingAccount DEVELOPER; the emulator's wording). */
  emailOtpNeedsSes: () =>
    err(
      "InvalidParameterException",
      "EMAIL_OTP requires an EmailConfiguration with EmailSendingAccount DEVELOPER (Amazon SES).",
    ),
  /** SMS_OTP as a first factor without an SmsConfiguration (the emulator's wording). */
  smsOtpNeedsSmsConfiguration: () =>
    err("InvalidParameterException", "SMS_OTP requires an SmsConfiguration (SnsCallerArn)."),
  /** A PREFERRED_CHALLENGE that names no first-factor challenge (the emulator's wording). */
  preferredChallengeInvalid: (value: string) =>
    err(
      "InvalidParameterException",
      `PREFERRED_CHALLENGE ${value} is not valid: use PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP or WEB_AUTHN.`,
    ),
  /** A SELECT_CHALLENGE ANSWER outside the AvailableChallenges offered (the emulator's wording). */
  challengeNotAvailable: (answer: string, available: readonly string[]) =>
    err(
      "InvalidParameterException",
      `ANSWER ${answer} is not one of the available challenges: ${available.join(", ")}.`,
    ),

  // --- Protocol and validation ---------------------------------------------------------------

  /** `POST /` without X-Amz-Target. */
  missingTarget: () => err("UnknownOperationException", "Missing X-Amz-Target header."),
  /** An X-Amz-Target outside the service's prefix (`target` already shortened for the message). */
  unknownTarget: (target: string, prefix: string) =>
    err("UnknownOperationException", `Unknown target ${target}: expected ${prefix}<Operation>.`),
  /** An X-Amz-Target naming no operation of the model (`name` already shortened). */
  unknownOperation: (name: string) => err("UnknownOperationException", `Unknown operation ${name}.`),
  /** A Content-Type that is not JSON (`contentType` already shortened). */
  unsupportedContentType: (contentType: string) =>
    err("SerializationException", `Unsupported Content-Type ${contentType}: send application/x-amz-json-1.1.`),
  /** The client hung up or timed out mid-body. */
  bodyUnreadable: () =>
    err("SerializationException", "The request body could not be read: the client stopped sending it."),
  /** A body that does not parse as JSON. */
  bodyNotJson: () => err("SerializationException", "Request body is not valid JSON."),
  /**
   * Input that fails the model (emulator/protocol/validate.ts, which computes the message): wrong
   * JSON types are a SerializationException, broken constraints an InvalidParameterException.
   */
  validation: (kind: "serialization" | "constraint", message: string) =>
    err(kind === "serialization" ? "SerializationException" : "InvalidParameterException", message),
  /** An Authorization header that is not SigV4. */
  incompleteSignature: () =>
    err(
      "IncompleteSignatureException",
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' in AWS4-HMAC-SHA256 form.",
    ),
  /**
   * A SigV4 credential scope whose region is not a region name (`shown` already shortened).
   * AWS's front end answers a scope naming a region the endpoint does not serve this way (HTTP
   * 400 on JSON 1.1 services such as Cognito); the emulator serves every well-formed region.
   */
  credentialScopeRegion: (shown: string) =>
    err("InvalidSignatureException", `Credential should be scoped to a valid region, not '${shown}'. `),
  /** A Host header the emulator does not answer (http/guard.ts): ForbiddenException, as AWS WAF answers. */
  hostNotAllowed: (host: string) =>
    err(
      "ForbiddenException",
      `Host "${host}" is not a name this emulator answers to: call it at localhost or 127.0.0.1, or name the host with --allowed-hosts or --public-url (docs/security.md).`,
      403,
    ),
  /** A signed operation without an Authorization header (unless --allow-unsigned). */
  missingAuthenticationToken: () => err("MissingAuthenticationTokenException", "Missing Authentication Token"),
  /** An operation of the model the emulator does not serve. */
  operationNotImplemented: (name: string) =>
    err(
      "UnsupportedOperationException",
      `cognito-twin does not implement ${name} yet. See docs/coverage.md for the operations it serves.`,
    ),

  // --- Limits --------------------------------------------------------------------------------

  /** A request body over --max-body-bytes. */
  bodyTooLarge: (maxBytes: number) =>
    err("InvalidParameterException", `Request body exceeds the limit of ${maxBytes} bytes.`),
  /** A pool at --max-users-per-pool. */
  userPoolFull: (poolId: string, max: number) =>
    err(
      "LimitExceededException",
      `User pool ${poolId} has reached its limit of ${max} users (cognito-twin --max-users-per-pool).`,
    ),
  /** TagResource leaving a pool with more than 50 tags. */
  tooManyTags: () => err("InvalidParameterException", "A user pool can have at most 50 tags."),

  // --- Lambda triggers (docs/decisions/0017-lambda-triggers.md) ----------------------------

  /** The trigger's function failed (threw, or Lambda reported a function error): its message, quoted. */
  lambdaFailed: (trigger: string, message: string) =>
    err("UserLambdaValidationException", `${trigger} failed with error ${message}.`),
  /** The trigger's function could not be invoked, or gave no answer within 5 seconds. */
  lambdaNotInvoked: (trigger: string, reason: string) =>
    err("UnexpectedLambdaException", `${trigger} invocation failed due to error ${reason}.`),
  /** The function answered no event at all (not JSON, null, not an object). */
  lambdaInvalidJson: () => err("InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON"),
  /** The function answered an event whose `response` Cognito cannot read (a member of the wrong type). */
  lambdaUnrecognizable: () => err("InvalidLambdaResponseException", "Unrecognizable lambda output"),
  /** CUSTOM_AUTH (or a custom challenge's next step) in a pool whose LambdaConfig lacks the trigger it needs. */
  customAuthNotConfigured: () =>
    err("InvalidParameterException", "Custom auth lambda trigger is not configured for the user pool."),
  /** Pre sign-up answered autoVerifyEmail / autoVerifyPhone for SignUp without autoConfirmUser. */
  autoVerifyWithoutAutoConfirm: () =>
    err("InvalidParameterException", "Phone or email cannot be auto verified, when user is not being auto confirmed."),
  /** Pre sign-up auto-verified an email or phone number the new user does not have. */
  autoVerifyWithoutAttribute: (attribute: "email" | "phone_number") =>
    err(
      "InvalidParameterException",
      `${attribute === "email" ? "Email" : "Phone number"} cannot be auto verified, when the user has no ${attribute}.`,
    ),
  /** A custom sender trigger without the KMS key its codes are encrypted with. */
  customSenderWithoutKmsKey: (trigger: string) =>
    err("InvalidParameterException", `KMSKeyID is required when ${trigger} is configured.`),
  /** The user migration function could not be invoked, or gave no answer in time (AWS re:Post's wording). */
  migrationNotInvoked: (clientId: string) =>
    err("UserNotFoundException", `Exception migrating user in app client ${clientId}`),
  /** The user migration function answered a value Cognito does not take for one of these members. */
  migrationInvalidMember: (member: "finalUserStatus" | "messageAction" | "desiredDeliveryMediums") =>
    err("UserNotFoundException", `Error during migration: Invalid ${member}`),
  /** The user migration function answered an attribute the pool's schema does not have. */
  migrationAttributeNotInSchema: (name: string) =>
    err(
      "UserNotFoundException",
      `Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.`,
    ),
  /** The user migration function answered enableSMSMFA for a user without a phone number. */
  migrationSmsMfaWithoutPhone: () =>
    err("UserNotFoundException", "Error during migration: enableSMSMFA requires a phone_number attribute"),
  /** PreTokenGeneration and PreTokenGenerationConfig.LambdaArn naming different functions. */
  preTokenGenerationArnsDiffer: () =>
    err(
      "InvalidParameterException",
      "PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must be the same function ARN.",
    ),

  // --- Federation: SAML providers (domain/federation/saml.ts; the emulator's wording) -----------

  samlMetadataUnreachable: (url: string, reason: string) =>
    err("InvalidParameterException", `Unable to retrieve metadata from ${url}: ${reason}`),
  samlMetadataInvalid: (reason: string) => err("InvalidParameterException", `Invalid SAML metadata: ${reason}.`),
  /** AWS: "The signing certificate in your SAML provider metadata must not be expired". */
  samlCertificateExpired: () =>
    err("InvalidParameterException", "The signing certificate in the SAML metadata has expired."),
  /** IDPSignout=true for an IdP whose metadata has no SingleLogoutService to send the LogoutRequest to. */
  samlSignoutWithoutSlo: () =>
    err(
      "InvalidParameterException",
      "IDPSignout requires a SingleLogoutService with the HTTP-Redirect binding in the SAML metadata.",
    ),

  // --- User import jobs (domain/user-import/, docs/decisions/0024-user-import.md; wording guessed) --

  userImportJobNotFound: (jobId: string) => err("ResourceNotFoundException", `Import job ${jobId} does not exist.`),
  /** StartUserImportJob on a job that is not Created (already started, stopped, finished or expired). */
  userImportJobNotStartable: (jobId: string, status: string) =>
    err("PreconditionNotMetException", `Import job ${jobId} cannot be started: its status is ${status}.`),
  /** StopUserImportJob on a job that is not Pending or InProgress. */
  userImportJobNotStoppable: (jobId: string, status: string) =>
    err("PreconditionNotMetException", `Import job ${jobId} cannot be stopped: its status is ${status}.`),
  /** AddCustomAttributes while an import job of the pool runs (the model lists the error for it). */
  userImportInProgress: () =>
    err("UserImportInProgressException", "A user import job is in progress in this user pool; try again when it ends."),
  /** AWS: "If the user pool has no auto-verified attributes, the import job will not start." */
  userImportNoAutoVerifiedAttributes: () =>
    err(
      "PreconditionNotMetException",
      "The user pool has no auto-verified attributes (email or phone_number), so users cannot be imported.",
    ),

  // --- Client secrets, user settings, terms, log delivery (docs/decisions/0026; wording guessed
  // unless marked) ------------------------------------------------------------------------------

  /** AddUserPoolClientSecret on a client created without a secret (a public client). */
  clientSecretOnPublicClient: (clientId: string) =>
    err(
      "InvalidParameterException",
      `Client ${clientId} has no client secret: secrets can be added only to a confidential app client.`,
    ),
  /** AddUserPoolClientSecret on a client that has its two secrets. */
  clientSecretLimit: (clientId: string, max: number) =>
    err("LimitExceededException", `Client ${clientId} already has the maximum of ${max} client secrets.`),
  /** DeleteUserPoolClientSecret naming no secret of the client. */
  clientSecretNotFound: (secretId: string) =>
    err("ResourceNotFoundException", `Client secret ${secretId} does not exist.`),
  /** DeleteUserPoolClientSecret on the client's only secret (the model: "You cannot delete the last remaining secret"). */
  lastClientSecret: () =>
    err("InvalidParameterException", "The last remaining client secret of an app client cannot be deleted."),
  /** MFAOptions naming an attribute other than phone_number (Cognito's words, aws-sdk-ios#382). */
  mfaOptionAttribute: () =>
    err("InvalidParameterException", "Only phone_number attribute is currently supported as a MFA option."),
  /** MFAOptions with DeliveryMedium EMAIL. */
  mfaOptionDeliveryMedium: () =>
    err("InvalidParameterException", "Only SMS delivery medium is currently supported as a MFA option."),
  /** CreateTerms / UpdateTerms giving a client a second document of one TermsName. */
  termsExists: (termsName: string, clientId: string) =>
    err("TermsExistsException", `Terms ${termsName} already exist for client ${clientId}.`),
  /** No terms documents with this TermsId in the pool. */
  termsNotFound: (termsId: string) => err("ResourceNotFoundException", `Terms ${termsId} does not exist.`),
  /** CreateTerms without Links. */
  termsLinksRequired: () => err("InvalidParameterException", "Links is required to create terms documents."),
  /** A terms link that is not an absolute http(s) URL (the page links to it). */
  termsLinkInvalid: (language: string) =>
    err("InvalidParameterException", `The link for ${language} must be an absolute http or https URL.`),
  /** A log configuration with no destination, or more than one. */
  logDestinationCount: (eventSource: string) =>
    err(
      "InvalidParameterException",
      `The ${eventSource} log configuration must have exactly one of CloudWatchLogsConfiguration, S3Configuration or FirehoseConfiguration.`,
    ),
  /** A log configuration whose LogLevel or destination its EventSource does not allow. */
  logConfigurationNotAllowed: (eventSource: string, allowed: string) =>
    err("InvalidParameterException", `Log configurations for ${eventSource} allow only ${allowed}.`),
  /** Two log configurations for one EventSource. */
  logEventSourceTwice: (eventSource: string) =>
    err("InvalidParameterException", `Only one log configuration per event source is allowed: ${eventSource}.`),
  /** A destination ARN of the wrong service. */
  logDestinationArn: (member: string, service: string) =>
    err("InvalidParameterException", `${member} must be the ARN of an Amazon ${service} resource.`),
  /** userAuthEvents log export on a pool below the Plus feature plan. */
  logExportNeedsPlus: (tier: string) =>
    err(
      "FeatureUnavailableInTierException",
      `Exporting userAuthEvents logs requires the PLUS feature plan; this user pool is on ${tier}.`,
    ),

  // --- Branding (domain/branding.ts, domain/ui-customization.ts, docs/decisions/0027) ---------

  /** CreateManagedLoginBranding for an app client that has a style already (the emulator's wording). */
  managedLoginBrandingExists: (clientId: string) =>
    err("ManagedLoginBrandingExistsException", `A managed login branding style already exists for client ${clientId}.`),
  /** No style with this id in the pool, or none assigned to this client (the emulator's wording). */
  managedLoginBrandingNotFound: () => err("ResourceNotFoundException", "Managed login branding does not exist."),
  /** UseCognitoProvidedValues=true together with Settings or Assets (the API reference forbids it). */
  brandingDefaultsWithValues: () =>
    err("InvalidParameterException", "Settings and Assets must be omitted when UseCognitoProvidedValues is true."),
  /** A Settings document that is not a JSON object, or a reflected value of the wrong form. */
  brandingSettingsInvalid: (reason: string) =>
    err("InvalidParameterException", `Invalid managed login branding Settings: ${reason}`),
  /** An asset that breaks a rule of AssetType (the emulator's wording). */
  brandingAssetInvalid: (reason: string) => err("InvalidParameterException", `Invalid asset: ${reason}`),
  /** SetUICustomization on a pool without a domain (Cognito's message for an action needing one). */
  uiCustomizationNeedsDomain: () =>
    err(
      "InvalidParameterException",
      "Cannot perform specific action because there does not exist a valid use pool domain associated with the user pool",
    ),
  /** CSS that Cognito's classic hosted UI refuses: a class it does not have, an at-rule, script. */
  uiCustomizationCssInvalid: (reason: string) => err("InvalidParameterException", `Invalid CSS: ${reason}`),
  /** An ImageFile that is not a PNG or JPEG image (the emulator's wording). */
  uiCustomizationImageInvalid: () => err("InvalidParameterException", "ImageFile must be a PNG or JPEG image."),

  // --- Threat protection (docs/decisions/0025-threat-protection.md) -------------------------

  /** AdminListUserAuthEvents, the feedback and risk-configuration calls on a pool whose AdvancedSecurityMode is OFF. */
  threatProtectionOff: (poolId: string) =>
    err(
      "UserPoolAddOnNotEnabledException",
      `Threat protection is not enabled for user pool ${poolId}: set UserPoolAddOns AdvancedSecurityMode to AUDIT or ENFORCED.`,
    ),
  /** A sign-in threat protection blocked (a blocked IP range, an account-takeover BLOCK action). */
  signInBlockedForSecurity: () => err("NotAuthorizedException", "Unable to login because of security reasons."),
  /** Feedback for an event the user does not have. */
  authEventNotFound: (eventId: string) => err("ResourceNotFoundException", `Auth event ${eventId} does not exist.`),
  /** UpdateAuthEventFeedback with a FeedbackToken that was not issued for this event. */
  invalidFeedbackToken: () => err("NotAuthorizedException", "Invalid feedback token."),
  /** A new password (SignUp, ChangePassword) on the compromised-credentials list, with the BLOCK action. */
  compromisedPassword: () =>
    err(
      "InvalidPasswordException",
      "The password has been found in a list of compromised credentials. Choose another password.",
    ),
  /** An IP range of RiskExceptionConfiguration that is not CIDR notation. */
  invalidIpRange: (range: string) =>
    err("InvalidParameterException", `${range} is not a valid IP address range in CIDR notation.`),
  /** SetRiskConfiguration's account-takeover notifications need a NotifyConfiguration to send them with. */
  notifyConfigurationMissing: () =>
    err(
      "InvalidParameterException",
      "NotifyConfiguration is required when an account takeover action has Notify set to true.",
    ),

  // --- Faults injected by tests (services/faults.ts, docs/faults.md, docs/decisions/0032) -------

  /**
   * The error a fault rule answers in an operation's place: a type the operation's model lists,
   * with the rule's message or the default one; HTTP 500 for the internal errors, 400 otherwise.
   */
  injected: (type: ModelException, message: string) =>
    err(type, message, type === "InternalErrorException" || type === "InternalServerException" ? 500 : 400),
  /** TooManyRequestsException as Cognito throttles (its quotas, a fault rule): "Rate exceeded". */
  rateExceeded: (message = "Rate exceeded") => err("TooManyRequestsException", message),
  /** HTTP 500 from AWS's front door (its common error InternalFailure), before Cognito runs. */
  frontDoorFailure: () =>
    err("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500),
  /** HTTP 503 from AWS's front door (its common error ServiceUnavailable). */
  frontDoorUnavailable: () =>
    err("ServiceUnavailable", "The request has failed due to a temporary failure of the server.", 503),

  // --- Internal ------------------------------------------------------------------------------

  /** A bug of ours (a stray exception), HTTP 500; the details go to the log. */
  internal: () => err("InternalErrorException", "An internal error occurred in cognito-twin; see its log.", 500),
  /** The journal could not be fsynced, HTTP 500: the answer must not claim durability. */
  notDurable: () =>
    err(
      "InternalErrorException",
      "cognito-twin could not write its data directory, so the change may not be durable; see its log.",
      500,
    ),
} as const;

/**
 * The identity pools' errors (AWSCognitoIdentityService, docs/identity-pools.md): the same
 * rendering as the user pools' ones, Cognito Identity's types and words. Where the words are
 * observed Cognito they say so; the others are the emulator's, listed in docs/decisions/0031.
 */
export const identityErrors = {
  // --- Identity pools and identities ---------------------------------------------------------

  /** No identity pool with this id (observed: `IdentityPool 'us-east-1:...' not found.`). */
  identityPoolNotFound: (id: string) => err("ResourceNotFoundException", `IdentityPool '${id}' not found.`),
  /** No identity with this id, or not one of the identity pool named. */
  identityNotFound: (id: string) => err("ResourceNotFoundException", `Identity '${id}' not found.`),
  /** UpdateIdentityPool changing a DeveloperProviderName that is set. */
  developerProviderImmutable: () =>
    err("InvalidParameterException", "The developer provider name of an identity pool cannot be changed once set."),
  /** A CognitoIdentityProviders ProviderName that is not `cognito-idp.<region>.amazonaws.com/<user pool id>`. */
  invalidCognitoProviderName: (name: string) =>
    err("InvalidParameterException", `${name} is not a valid Cognito user pool provider name.`),

  // --- Roles ---------------------------------------------------------------------------------

  /** A RoleMappings key the pool has no provider for (observed wording). */
  roleMappingProviderUnknown: (key: string) =>
    err("InvalidParameterException", `${key} is not a valid RoleMapping ProviderName or is not a configured provider.`),
  /** A Token or Rules role mapping without AmbiguousRoleResolution. */
  roleMappingNeedsResolution: (key: string) =>
    err("InvalidParameterException", `AmbiguousRoleResolution must be specified for the role mapping of ${key}.`),
  /** A Rules role mapping without RulesConfiguration, or with more than 25 rules. */
  roleMappingRules: (key: string) =>
    err("InvalidParameterException", `The Rules role mapping of ${key} needs a RulesConfiguration of 1 to 25 rules.`),
  /** No role for the kind of identity (observed wording). */
  noRoleConfigured: () =>
    err(
      "InvalidIdentityPoolConfigurationException",
      "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    ),
  /** A role mapping found no role and its AmbiguousRoleResolution is Deny (observed wording). */
  ambiguousRoleDenied: (provider: string) =>
    err("NotAuthorizedException", `The ambiguous role mapping rules for: ${provider} denied this request.`),
  /** CustomRoleArn that the token's cognito:roles do not list. */
  customRoleNotInToken: () =>
    err("NotAuthorizedException", "The CustomRoleArn is not one of the roles the token's cognito:roles claim lists."),

  // --- Logins --------------------------------------------------------------------------------

  /** GetId and friends without Logins on a pool without guest access (observed wording). */
  unauthenticatedNotSupported: () =>
    err("NotAuthorizedException", "Unauthenticated access is not supported for this identity pool."),
  /** An authenticated identity called without one of its logins (observed wording). */
  loginsDontMatch: () =>
    err(
      "NotAuthorizedException",
      "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    ),
  /** A Logins key that is none of the pool's providers (observed wording). */
  unsupportedProvider: () =>
    err("NotAuthorizedException", "Token is not from a supported provider of this identity pool."),
  /** A Logins value that is not a JWT. */
  notAnOpenIdToken: () =>
    err("NotAuthorizedException", "Invalid login token. Not a valid OpenId Connect identity token."),
  /** A token whose `iss` is not the provider named by its Logins key (observed wording). */
  issuerMismatch: () => err("NotAuthorizedException", "Invalid login token. Issuer doesn't match providerName"),
  /** A token whose signature is not the provider's (observed wording). */
  signatureUnverified: () => err("NotAuthorizedException", "Invalid login token. Couldn't verify signed token."),
  /** An expired token: now and exp in epoch seconds (observed wording). */
  tokenExpired: (now: number, exp: number) =>
    err("NotAuthorizedException", `Invalid login token. Token expired: ${now} >= ${exp}`),
  /** A token for a client the pool does not list. */
  wrongAudience: () => err("NotAuthorizedException", "Invalid login token. Incorrect token audience."),
  /** A token without a claim an ID token has (an access token has no `aud`). */
  missingClaim: (claim: string) =>
    err("NotAuthorizedException", `Invalid login token. Missing a required claim: ${claim}`),
  /** ServerSideTokenCheck: the user signed out everywhere, was deleted or disabled since the token was issued. */
  tokenRevoked: () => err("NotAuthorizedException", "Invalid login token. Token has been revoked."),
  /** A provider the emulator cannot reach to verify (Google, Facebook, an OIDC or SAML provider). */
  providerUnreachable: (provider: string) =>
    err(
      "ExternalServiceException",
      `cognito-twin cannot verify tokens of ${provider}: it reaches no external identity provider. Use this emulator's user pools, or developer-authenticated identities (docs/identity-pools.md).`,
    ),
  /** Logins that belong to two different identities. */
  loginsOfTwoIdentities: () => err("ResourceConflictException", "The logins given are linked to different identities."),
  /** A login linked to another identity than the one named. */
  loginOfAnotherIdentity: () =>
    err("ResourceConflictException", "A login given is already linked to a different identity."),
  /** GetOpenIdToken on a pool whose AllowClassicFlow is false (observed wording). */
  classicFlowDisabled: () =>
    err("InvalidParameterException", "Basic (classic) flow is not enabled, please use enhanced flow."),

  // --- Developer identities ------------------------------------------------------------------

  /** A developer call on a pool without DeveloperProviderName, or naming another one. */
  developerProviderMismatch: () =>
    err(
      "InvalidParameterException",
      "The developer provider name does not match the identity pool's DeveloperProviderName.",
    ),
  /** GetOpenIdTokenForDeveloperIdentity whose Logins lack the pool's developer provider. */
  developerLoginMissing: (provider: string) =>
    err("InvalidParameterException", `Logins must contain the identity pool's developer provider ${provider}.`),
  /** A developer user id linked to another identity than the IdentityId given. */
  developerUserAlreadyRegistered: () =>
    err(
      "DeveloperUserAlreadyRegisteredException",
      "The developer user identifier is already registered with a different identity.",
    ),
  /** LookupDeveloperIdentity with neither IdentityId nor DeveloperUserIdentifier. */
  lookupNeedsIdentifier: () =>
    err("InvalidParameterException", "Either IdentityId or DeveloperUserIdentifier must be specified."),
  /** A developer user id the pool does not know. */
  developerUserNotFound: () => err("ResourceNotFoundException", "The developer user identifier was not found."),
} as const;

/**
 * An error of STS's AssumeRoleWithWebIdentity (the identity pools' classic flow, docs/identity-pools.md):
 * STS's query protocol answers it as XML with a `Code`, not as a JSON `__type`.
 */
export class StsError extends Error {
  override readonly name = "StsError";
  constructor(
    /** STS's error code: `InvalidIdentityToken`, `ExpiredTokenException`, `AccessDenied`, `ValidationError`... */
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * STS's errors for the web identity tokens of identity pools. The codes are STS's (its API
 * reference); the words are STS's where docs/decisions/0038-sts-classic-flow.md says so, else ours.
 */
export const stsErrors = {
  /** A parameter the model requires is absent (AWS's validation wording). */
  missing: (member: string) =>
    new StsError(
      "ValidationError",
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    ),
  /** A parameter outside its length or range; a secret's value (the token) is not repeated. */
  constraint: (member: string, value: string | undefined, constraint: string) =>
    new StsError(
      "ValidationError",
      `1 validation error detected: Value ${value === undefined ? "" : `'${value.length > 64 ? `${value.slice(0, 64)}...` : value}' `}at '${member}' failed to satisfy constraint: ${constraint}`,
    ),
  /** A RoleArn that is not an IAM role's ARN. */
  badRoleArn: (arn: string) => new StsError("ValidationError", `${arn} is invalid`),
  /** What the emulator does not do: session policies, OAuth 2.0 access tokens. */
  unsupported: (what: string) => new StsError("ValidationError", what),
  /** An action other than AssumeRoleWithWebIdentity, or another API version. */
  invalidAction: (action: string, version: string) =>
    new StsError("InvalidAction", `Could not find operation ${action} for version ${version}`),
  /** Not a JWT at all. */
  notAJwt: () =>
    new StsError(
      "InvalidIdentityToken",
      "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)",
    ),
  /** A token from an issuer other than Cognito Identity's (this emulator's). */
  unknownIssuer: (issuer: string) =>
    new StsError("InvalidIdentityToken", `No OpenIDConnect provider found in your account for ${issuer}`),
  /** A token whose audience is no identity pool of this emulator. */
  wrongAudience: () => new StsError("InvalidIdentityToken", "Incorrect token audience"),
  /** A token whose signature is not the identity pool's key's. */
  badSignature: () => new StsError("InvalidIdentityToken", "Couldn't verify the signature of the web identity token"),
  /** A token without the claims an identity pool's tokens have. */
  missingClaim: (claim: string) =>
    new StsError("InvalidIdentityToken", `The web identity token has no valid ${claim} claim`),
  /** An expired token (STS's words). */
  expired: (now: number, exp: number) =>
    new StsError(
      "ExpiredTokenException",
      `Token expired: current date/time ${now} must be before the expiration date/time ${exp}`,
    ),
  /** A role the identity pool does not name for the token's `amr` (the stand-in for its trust policy). */
  notAuthorized: () => new StsError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403),
} as const;
