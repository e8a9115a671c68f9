import type { DeleteUserPoolDomainRequest } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { poolByDomain, poolWithDomains } from "../domain/domains.js";
import { defineOperation } from "./types.js";

// The domain must be the named pool's: another pool's domain, an unknown one or an unknown pool
// all answer "No such domain or user pool exists."
export default defineOperation(
  "DeleteUserPoolDomain",
  ["store"],
  (input: DeleteUserPoolDomainRequest, ctx): Record<string, never> => {
    const found = poolByDomain(ctx.store, input.Domain!);
    if (!found || found.pool.id !== input.UserPoolId) throw errors.domainNotFound();
    const { pool, domain } = found;
    ctx.store.putPool(
      poolWithDomains(
        pool,
        (pool.domains ?? []).filter((d) => d !== domain),
      ),
    );
    return {};
  },
);
