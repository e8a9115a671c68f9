import type {
  GetIdentityProviderByIdentifierRequest,
  GetIdentityProviderByIdentifierResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { identityProviderByIdentifier, identityProviderType } from "../domain/identity-providers.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "GetIdentityProviderByIdentifier",
  ["store"],
  (input: GetIdentityProviderByIdentifierRequest, ctx): Wire<GetIdentityProviderByIdentifierResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const provider = identityProviderByIdentifier(pool, input.IdpIdentifier!);
    if (!provider) throw errors.idpIdentifierNotFound(input.IdpIdentifier!);
    return { IdentityProvider: identityProviderType(provider) };
  },
);
