import type {
  UpdateUserPoolDomainRequest,
  UpdateUserPoolDomainResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { cloudFrontDomain, managedLoginVersion, poolByDomain, poolWithDomains } from "../domain/domains.js";
import { defineOperation } from "./types.js";

// Changes the branding version and, for a custom domain, the certificate; what the request
// leaves out stays as it is. The name never changes (delete and create for that).
export default defineOperation(
  "UpdateUserPoolDomain",
  ["store"],
  (input: UpdateUserPoolDomainRequest, ctx): Wire<UpdateUserPoolDomainResponse> => {
    const found = poolByDomain(ctx.store, input.Domain!);
    if (!found || found.pool.id !== input.UserPoolId) throw errors.domainNotFound();
    const { pool, domain } = found;
    if (input.CustomDomainConfig && !domain.custom) throw errors.certificateOnPrefixDomain();
    const version =
      input.ManagedLoginVersion === undefined
        ? domain.managedLoginVersion
        : managedLoginVersion(input.ManagedLoginVersion);
    if (version === 2 && pool.pool.UserPoolTier === "LITE")
      throw errors.featureUnavailableInTier("LITE", "Managed Login");
    const updated = {
      ...domain,
      managedLoginVersion: version,
      ...(input.CustomDomainConfig ? { certificateArn: input.CustomDomainConfig.CertificateArn! } : {}),
    };
    ctx.store.putPool(
      poolWithDomains(
        pool,
        (pool.domains ?? []).map((d) => (d === domain ? updated : d)),
      ),
    );
    return {
      ManagedLoginVersion: version,
      ...(domain.custom ? { CloudFrontDomain: cloudFrontDomain(pool, domain) } : {}),
    };
  },
);
