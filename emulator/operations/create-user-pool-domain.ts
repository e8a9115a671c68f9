import type {
  CreateUserPoolDomainRequest,
  CreateUserPoolDomainResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import {
  checkDomainName,
  cloudFrontDomain,
  domainOfKind,
  managedLoginVersion,
  poolByDomain,
  poolWithDomains,
} from "../domain/domains.js";
import { requirePool } from "../domain/pools.js";
import type { DomainRecord } from "../store/types.js";
import { defineOperation } from "./types.js";

// A CustomDomainConfig makes the name a custom domain (`auth.example.com`); without one it is a
// prefix (`myapp`, served at myapp.auth.<region>.amazoncognito.com). A pool has at most one of
// each, and a name belongs to one pool (docs/decisions/0015-domains-and-resource-servers.md).
export default defineOperation(
  "CreateUserPoolDomain",
  ["store", "clock"],
  (input: CreateUserPoolDomainRequest, ctx): Wire<CreateUserPoolDomainResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const name = input.Domain!;
    const custom = input.CustomDomainConfig !== undefined;
    checkDomainName(name, custom);
    const version = managedLoginVersion(input.ManagedLoginVersion);
    // "Managed login requires that your user pool be configured for any feature plan other than Lite."
    if (version === 2 && pool.pool.UserPoolTier === "LITE")
      throw errors.featureUnavailableInTier("LITE", "Managed Login");
    const owner = poolByDomain(ctx.store, name);
    if (owner && owner.pool.id !== pool.id) throw errors.domainTaken();
    if (owner || domainOfKind(pool, custom)) throw errors.poolHasDomain();
    const domain: DomainRecord = {
      domain: name,
      custom,
      ...(custom ? { certificateArn: input.CustomDomainConfig!.CertificateArn! } : {}),
      managedLoginVersion: version,
      createdAt: ctx.clock.now(),
    };
    ctx.store.putPool(poolWithDomains(pool, [...(pool.domains ?? []), domain]));
    return { ManagedLoginVersion: version, ...(custom ? { CloudFrontDomain: cloudFrontDomain(pool, domain) } : {}) };
  },
);
