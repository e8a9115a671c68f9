import type {
  DeleteWebAuthnCredentialRequest,
  DeleteWebAuthnCredentialResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { deleteCredential } from "../domain/webauthn/registration.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// Removes one of the signed-in user's passkeys; it signs in no more.
export default defineOperation(
  "DeleteWebAuthnCredential",
  ["store", "clock", "locks", "keys"],
  async (input: DeleteWebAuthnCredentialRequest, ctx): Promise<Wire<DeleteWebAuthnCredentialResponse>> => {
    const { pool, user } = await verifyAccessToken(ctx, input.AccessToken!);
    await deleteCredential(ctx, { pool, user }, input.CredentialId!);
    return {};
  },
);
