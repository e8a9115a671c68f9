import type {
  ListWebAuthnCredentialsRequest,
  ListWebAuthnCredentialsResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { paginate } from "../domain/paginate.js";
import { describeCredential } from "../domain/webauthn/credentials.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

/** MaxResults when left out (and for 0): the model's maximum, 20, which is also Cognito's quota of passkeys per user. */
const DEFAULT_MAX_RESULTS = 20;

// The signed-in user's passkeys, in the order registered, a page at a time.
export default defineOperation(
  "ListWebAuthnCredentials",
  ["store", "clock", "keys"],
  async (input: ListWebAuthnCredentialsRequest, ctx): Promise<Wire<ListWebAuthnCredentialsResponse>> => {
    const { user } = await verifyAccessToken(ctx, input.AccessToken!);
    const limit = input.MaxResults || DEFAULT_MAX_RESULTS;
    const page = paginate(user.webAuthnCredentials ?? [], (c) => c.credentialId, limit, input.NextToken);
    return {
      Credentials: page.items.map(describeCredential),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  },
);
