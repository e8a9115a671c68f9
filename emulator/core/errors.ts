// Cognito's error: thrown anywhere in an operation, rendered once by the protocol's onError.
import type { ModelException } from "../model/index.js";

/**
 * Error types the emulator answers: the model's exceptions plus the protocol-level ones AWS's
 * JSON 1.1 front end produces before an operation runs.
 */
export type CognitoErrorType =
  | ModelException
  | "SerializationException"
  | "UnknownOperationException"
  | "MissingAuthenticationTokenException"
  | "IncompleteSignatureException"
  | "RequestEntityTooLargeException";

/**
 * An error Cognito would answer: HTTP 400 (what real Cognito sends even where the Smithy
 * model says otherwise), body `{"__type","message"}`.
 *
 * @example
 * throw new CognitoError("UserNotFoundException", "User does not exist.");
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

/** Shorthands for the errors operations throw most, with real Cognito's messages. */
export const errors = {
  invalidParameter: (message: string) => new CognitoError("InvalidParameterException", message),
  notAuthorized: (message: string) => new CognitoError("NotAuthorizedException", message),
  resourceNotFound: (message: string) => new CognitoError("ResourceNotFoundException", message),
  userPoolNotFound: (poolId: string) =>
    new CognitoError("ResourceNotFoundException", `User pool ${poolId} does not exist.`),
  clientNotFound: (clientId: string) =>
    new CognitoError("ResourceNotFoundException", `User pool client ${clientId} does not exist.`),
  userNotFound: () => new CognitoError("UserNotFoundException", "User does not exist."),
  incorrectCredentials: () => new CognitoError("NotAuthorizedException", "Incorrect username or password."),
  codeMismatch: () =>
    new CognitoError("CodeMismatchException", "Invalid verification code provided, please try again."),
  expiredCode: () => new CognitoError("ExpiredCodeException", "Invalid code provided, please request a code again."),
  limitExceeded: () =>
    new CognitoError("LimitExceededException", "Attempt limit exceeded, please try after some time."),
} as const;
