// The pages sign users up, confirm them, reset passwords and answer challenges through the very
// operations of the API (SignUp, ConfirmSignUp, ForgotPassword, RespondToAuthChallenge, ...),
// validated against the model first as the JSON front door validates them, so every rule and
// message is the API's.
import { createHmac } from "node:crypto";
import type { OperationContext } from "../../context.js";
import { errors } from "../../core/errors.js";
import { model, type OperationName } from "../../model/index.js";
import type { Registry } from "../../operations/types.js";
import { ModelValidator } from "../../protocol/validate.js";
import type { StoredClient } from "../../store/types.js";

const validator = new ModelValidator(model);

/** Calls one operation as the API would (model validation, then its handler); throws CognitoErrors. */
export async function callOperation<O = Record<string, unknown>>(
  registry: Registry,
  name: OperationName,
  input: Record<string, unknown>,
  ctx: OperationContext,
): Promise<O> {
  const result = validator.validate(model.operations[name].input, input);
  if (!result.ok) throw errors.validation(result.kind, result.message);
  const operation = registry.get(name);
  if (!operation) throw errors.operationNotImplemented(name);
  return (await operation.handle(input as never, ctx)) as O;
}

/**
 * The SECRET_HASH an app client with a secret needs on these calls: the pages act for the app,
 * which knows its secret, as Cognito's own pages do. Empty for a client without one.
 */
export function secretHashFor(client: StoredClient, username: string): Record<string, string> {
  const secret = client.client.ClientSecret;
  if (!secret) return {};
  const hash = createHmac("sha256", secret)
    .update(username + client.client.ClientId)
    .digest("base64");
  return { SECRET_HASH: hash };
}
