import type { RevokeTokenRequest, RevokeTokenResponse } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoError } from "../core/errors.js";
import { clientSecretProblem } from "../domain/auth.js";
import { revokeSession } from "../domain/sessions.js";
import { defineOperation } from "./types.js";

const unauthorized = (message: string) => new CognitoError("UnauthorizedException", message);

// Errors follow the model's list for RevokeToken and the revocation endpoint's documented cases;
// see docs/decisions/0009-token-revocation.md for the choices where Cognito's text is unknown.
export default defineOperation("RevokeToken", (input: RevokeTokenRequest, ctx): RevokeTokenResponse => {
  const client = ctx.store.getClient(input.ClientId!);
  if (!client) throw unauthorized(`Invalid client id ${input.ClientId!}.`);
  const id = client.client.ClientId!;
  const problem = clientSecretProblem(client, input.ClientSecret);
  if (problem === "missing")
    throw unauthorized(`Client ${id} is configured with secret but ClientSecret was not received`);
  if (problem === "wrong") throw unauthorized(`Unable to verify client secret for client ${id}`);
  if (client.client.EnableTokenRevocation === false) {
    throw new CognitoError("UnsupportedOperationException", "Token revocation is not enabled for this client.");
  }
  const token = input.Token!;
  // Access and id tokens are three-part JWTs; refresh tokens are five-part (JWE-shaped).
  if (token.split(".").length === 3)
    throw new CognitoError("UnsupportedTokenTypeException", "Only refresh tokens can be revoked.");
  const session = ctx.store.getSessionByRefreshToken(token);
  // As RFC 7009 asks of revocation, an unknown or already revoked token is not an error.
  if (!session) return {};
  if (session.clientId !== client.client.ClientId)
    throw unauthorized("The refresh token was not issued to this client.");
  revokeSession(ctx, session);
  return {};
});
