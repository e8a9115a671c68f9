import type {
  CompleteWebAuthnRegistrationRequest,
  CompleteWebAuthnRegistrationResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { completeRegistration } from "../domain/webauthn/registration.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// Verifies the authenticator's attestation and keeps the passkey (domain/webauthn/registration.ts).
export default defineOperation(
  "CompleteWebAuthnRegistration",
  ["store", "clock", "locks", "keys"],
  async (input: CompleteWebAuthnRegistrationRequest, ctx): Promise<Wire<CompleteWebAuthnRegistrationResponse>> => {
    const { pool, user, session } = await verifyAccessToken(ctx, input.AccessToken!);
    await completeRegistration(ctx, { pool, user, clientId: session.clientId }, input.Credential);
    return {};
  },
);
