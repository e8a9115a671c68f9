// The message an injected error carries when its fault rule gives none: Cognito's own words for
// the errors whose text is known (the catalogue, core/errors.ts, answers them so), else the
// sentence the API reference describes the exception with (docs/decisions/0032-faults-and-quotas.md).
import type { ModelException } from "../model/index.js";

/** Default messages by error type; a type missing here gets its name as the message. */
export const FAULT_MESSAGES: Readonly<Partial<Record<ModelException, string>>> = {
  AccessDeniedException:
    "This exception is thrown when you don't have sufficient permissions to perform the requested operation.",
  AliasExistsException:
    "This exception is thrown when a user tries to confirm the account with an email address or phone number that has already been supplied as an alias for a different user profile.",
  CodeDeliveryFailureException: "This exception is thrown when a verification code fails to deliver successfully.",
  CodeMismatchException: "Invalid verification code provided, please try again.",
  ConcurrentModificationException: "This exception is thrown if two or more modifications are happening concurrently.",
  DeviceKeyExistsException:
    "This exception is thrown when a user attempts to confirm a device with a device key that already exists.",
  DuplicateProviderException: "This exception is thrown when the provider is already supported by the user pool.",
  EnableSoftwareTokenMFAException:
    "This exception is thrown when there is a code mismatch and the service fails to configure the software token TOTP multi-factor authentication (MFA).",
  ExpiredCodeException: "Invalid code provided, please request a code again.",
  FeatureUnavailableInTierException:
    "This exception is thrown when a feature you attempted to configure isn't available in your current feature plan.",
  ForbiddenException:
    "This exception is thrown when WAF doesn't allow your request based on a web ACL that's associated with your user pool.",
  GroupExistsException:
    "This exception is thrown when Amazon Cognito encounters a group that already exists in the user pool.",
  InternalErrorException: "This exception is thrown when Amazon Cognito encounters an internal error.",
  InternalServerException: "This exception is thrown when Amazon Cognito encounters an internal server error.",
  InvalidEmailRoleAccessPolicyException:
    "This exception is thrown when Amazon Cognito isn't allowed to use your email identity.",
  InvalidLambdaResponseException: "This exception is thrown when Amazon Cognito encounters an invalid Lambda response.",
  InvalidOAuthFlowException: "This exception is thrown when the specified OAuth flow is not valid.",
  InvalidParameterException:
    "This exception is thrown when the Amazon Cognito service encounters an invalid parameter.",
  InvalidPasswordException: "This exception is thrown when Amazon Cognito encounters an invalid password.",
  InvalidSmsRoleAccessPolicyException:
    "This exception is returned when the role provided for SMS configuration doesn't have permission to publish using Amazon SNS.",
  InvalidSmsRoleTrustRelationshipException:
    "This exception is thrown when the trust relationship is not valid for the role provided for SMS configuration.",
  InvalidUserPoolConfigurationException: "This exception is thrown when the user pool configuration is not valid.",
  LimitExceededException: "Attempt limit exceeded, please try after some time.",
  MFAMethodNotFoundException:
    "This exception is thrown when Amazon Cognito can't find a multi-factor authentication (MFA) method.",
  ManagedLoginBrandingExistsException:
    "This exception is thrown when you attempt to apply a managed login branding style to an app client that already has an assigned style.",
  NotAuthorizedException: "Incorrect username or password.",
  PasswordHistoryPolicyViolationException:
    "The message returned when a user's new password matches a previous password and doesn't comply with the password-history policy.",
  PasswordResetRequiredException: "Password reset required for the user",
  PreconditionNotMetException: "This exception is thrown when a precondition is not met.",
  RefreshTokenReuseException:
    "This exception is throw when your application requests token refresh with a refresh token that has been invalidated by refresh-token rotation.",
  ResourceNotFoundException:
    "This exception is thrown when the Amazon Cognito service can't find the requested resource.",
  ScopeDoesNotExistException: "This exception is thrown when the specified scope doesn't exist.",
  SoftwareTokenMFANotFoundException:
    "This exception is thrown when the software token time-based one-time password (TOTP) multi-factor authentication (MFA) isn't activated for the user pool.",
  TermsExistsException: "Terms document names must be unique to the app client.",
  TierChangeNotAllowedException:
    "This exception is thrown when you've attempted to change your feature plan but the operation isn't permitted.",
  TooManyFailedAttemptsException:
    "This exception is thrown when the user has made too many failed attempts for a given action, such as sign-in.",
  TooManyRequestsException: "Rate exceeded",
  UnauthorizedException: "Exception that is thrown when the request isn't authorized.",
  UnexpectedLambdaException:
    "This exception is thrown when Amazon Cognito encounters an unexpected exception with Lambda.",
  UnsupportedIdentityProviderException: "This exception is thrown when the specified identifier isn't supported.",
  UnsupportedOperationException:
    "Exception that is thrown when you attempt to perform an operation that isn't enabled for the user pool client.",
  UnsupportedTokenTypeException: "Exception that is thrown when an unsupported token is passed to an operation.",
  UnsupportedUserStateException: "The request failed because the user is in an unsupported state.",
  UserImportInProgressException:
    "This exception is thrown when you're trying to modify a user pool while a user import job is in progress for that pool.",
  UserLambdaValidationException:
    "This exception is thrown when the Amazon Cognito service encounters a user validation exception with the Lambda service.",
  UserNotConfirmedException: "User is not confirmed.",
  UserNotFoundException: "User does not exist.",
  UserPoolAddOnNotEnabledException: "This exception is thrown when user pool add-ons aren't enabled.",
  UserPoolTaggingException: "This exception is thrown when a user pool tag can't be set or updated.",
  UsernameExistsException: "User already exists",
  WebAuthnChallengeNotFoundException:
    "This exception is thrown when the challenge from StartWebAuthn registration has expired.",
  WebAuthnClientMismatchException:
    "This exception is thrown when the access token is for a different client than the one in the original StartWebAuthnRegistration request.",
  WebAuthnConfigurationMissingException:
    "This exception is thrown when a user pool doesn't have a configured relying party id or a user pool domain.",
  WebAuthnCredentialNotSupportedException:
    "This exception is thrown when a user presents passkey credentials from an unsupported device or provider.",
  WebAuthnNotEnabledException: "This exception is thrown when the passkey feature isn't enabled for the user pool.",
  WebAuthnOriginNotAllowedException:
    "This exception is thrown when the passkey credential's registration origin does not align with the user pool relying party id.",
  WebAuthnRelyingPartyMismatchException:
    "This exception is thrown when the given passkey credential is associated with a different relying party ID than the user pool relying party ID.",
};
