import type {
  GetSigningCertificateRequest,
  GetSigningCertificateResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { poolSamlSigningKey } from "../domain/federation/saml-keys.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

/**
 * The pool's SAML signing certificate (base64 DER), made on first use and kept with the pool: the
 * certificate an IdP verifies signed AuthnRequests and LogoutRequests with (docs/federation.md).
 */
export default defineOperation(
  "GetSigningCertificate",
  ["store", "clock"],
  async (input: GetSigningCertificateRequest, ctx): Promise<Wire<GetSigningCertificateResponse>> => {
    requirePool(ctx, input.UserPoolId!);
    return { Certificate: (await poolSamlSigningKey(ctx, input.UserPoolId!)).certificate };
  },
);
