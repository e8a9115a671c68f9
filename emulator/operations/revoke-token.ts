import type { RevokeTokenRequest, RevokeTokenResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { clientSecretProblem } from "../domain/auth.js";
import { revokeSession } from "../domain/sessions.js";
import { defineOperation } from "./types.js";

// Errors follow the model's list for RevokeToken and the revocation endpoint's documented cases;
// see docs/decisions/0009-token-revocation.md for the choices where Cognito's text is unknown.
export default defineOperation("RevokeToken", ["store"], (input: RevokeTokenRequest, ctx): RevokeTokenResponse => {
  const client = ctx.store.getClient(input.ClientId!);
  if (!client) throw errors.revokeUnknownClient(input.ClientId!);
  const id = client.client.ClientId!;
  const problem = clientSecretProblem(client, input.ClientSecret);
  if (problem === "missing") throw errors.revokeClientSecretMissing(id);
  if (problem === "wrong") throw errors.revokeClientSecretMismatch(id);
  if (client.client.EnableTokenRevocation === false) {
    throw errors.revocationNotEnabled();
  }
  const token = input.Token!;
  // Access and id tokens are three-part JWTs; refresh tokens are five-part (JWE-shaped).
  if (token.split(".").length === 3) throw errors.onlyRefreshTokensRevocable();
  const session = ctx.store.getSessionByRefreshToken(token);
  // As RFC 7009 asks of revocation, an unknown or already revoked token is not an error.
  if (!session) return {};
  if (session.clientId !== client.client.ClientId) throw errors.revokeForeignToken();
  revokeSession(ctx, session);
  return {};
});
