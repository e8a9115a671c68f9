// The errors of the OAuth 2.0 endpoints (RFC 6749 section 5.2, RFC 6750, RFC 7009): not the user
// pool API's CognitoErrors but `{"error": "...", "error_description"?: "..."}` bodies, or an
// `error=` on the redirect back to the app. The HTTP layer renders them.

/** The `error` codes the endpoints answer. */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "unsupported_response_type"
  | "unsupported_token_type"
  | "invalid_token"
  | "login_required"
  | "server_error";

/** An OAuth error: the code, a description (sent only where Cognito sends one), the status. */
export class OAuthError extends Error {
  override readonly name = "OAuthError";
  constructor(
    readonly error: OAuthErrorCode,
    /** Why, in words: logged always, sent in `error_description` only when `send` is true. */
    readonly description: string,
    readonly status = 400,
    readonly send = false,
  ) {
    super(`${error}: ${description}`);
  }

  /** The JSON body: `error`, and `error_description` where Cognito sends one. */
  body(): { error: string; error_description?: string } {
    return this.send ? { error: this.error, error_description: this.description } : { error: this.error };
  }
}

/** Shorthand: an OAuthError answered with HTTP 400 and no description. */
export function oauthError(error: OAuthErrorCode, description: string): OAuthError {
  return new OAuthError(error, description);
}
