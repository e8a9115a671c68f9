import type {
  SetUserPoolMfaConfigRequest,
  SetUserPoolMfaConfigResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { checkRelyingPartyId } from "../domain/webauthn/relying-party.js";
import type { PoolRecord } from "../store/types.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "SetUserPoolMfaConfig",
  ["store", "clock"],
  (input: SetUserPoolMfaConfigRequest, ctx): Wire<SetUserPoolMfaConfigResponse> => {
    const record = requirePool(ctx, input.UserPoolId!);
    const webAuthn = input.WebAuthnConfiguration;
    if (webAuthn?.RelyingPartyId !== undefined) checkRelyingPartyId(webAuthn.RelyingPartyId);
    // Passkeys as MFA (a passkey with user verification satisfying MFA; webauthn/relying-party.ts)
    // need the Essentials plan or higher, as passkeys do.
    if (
      webAuthn?.FactorConfiguration === "MULTI_FACTOR_WITH_USER_VERIFICATION" &&
      record.pool.UserPoolTier === "LITE"
    ) {
      throw errors.featureUnavailableInTier(
        "LITE",
        "WebAuthnConfiguration FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION",
      );
    }
    const mfa: PoolRecord["mfa"] = {
      MfaConfiguration: input.MfaConfiguration ?? record.mfa.MfaConfiguration,
      ...pick(
        input.SoftwareTokenMfaConfiguration ?? record.mfa.SoftwareTokenMfaConfiguration,
        "SoftwareTokenMfaConfiguration",
      ),
      ...pick(input.SmsMfaConfiguration ?? record.mfa.SmsMfaConfiguration, "SmsMfaConfiguration"),
      ...pick(input.EmailMfaConfiguration ?? record.mfa.EmailMfaConfiguration, "EmailMfaConfiguration"),
      ...pick(input.WebAuthnConfiguration ?? record.mfa.WebAuthnConfiguration, "WebAuthnConfiguration"),
    };
    const anyFactor =
      mfa.SoftwareTokenMfaConfiguration?.Enabled || mfa.SmsMfaConfiguration || mfa.EmailMfaConfiguration;
    if (mfa.MfaConfiguration !== "OFF" && !anyFactor) {
      throw errors.noMfaMethodEnabled();
    }
    ctx.store.putPool({
      ...record,
      mfa,
      pool: { ...record.pool, MfaConfiguration: mfa.MfaConfiguration, LastModifiedDate: ctx.clock.now() / 1000 },
    });
    return { ...mfa };
  },
);

function pick<K extends string, V>(value: V | undefined, key: K): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
