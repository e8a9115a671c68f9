import type {
  StartWebAuthnRegistrationRequest,
  StartWebAuthnRegistrationResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { startRegistration } from "../domain/webauthn/registration.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// Creation options for a new passkey of the signed-in user (domain/webauthn/registration.ts).
export default defineOperation(
  "StartWebAuthnRegistration",
  ["store", "clock", "locks", "keys"],
  async (input: StartWebAuthnRegistrationRequest, ctx): Promise<Wire<StartWebAuthnRegistrationResponse>> => {
    const { pool, user, session } = await verifyAccessToken(ctx, input.AccessToken!);
    const options = await startRegistration(ctx, { pool, user, clientId: session.clientId });
    return {
      CredentialCreationOptions: options as Wire<StartWebAuthnRegistrationResponse>["CredentialCreationOptions"],
    };
  },
);
