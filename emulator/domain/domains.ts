// User-pool domains: the names CreateUserPoolDomain accepts, how a name or a Host finds its pool,
// and the hostname and description Cognito gives each. The domains live in their pool's record
// (PoolRecord.domains), mirrored into `pool.Domain` / `pool.CustomDomain` for DescribeUserPool.
// Rules and their sources: docs/decisions/0015-domains-and-resource-servers.md.
import { createHash } from "node:crypto";
import type { DomainDescriptionType } from "@aws-sdk/client-cognito-identity-provider";
import type { Services } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { DeepReadonly, DomainRecord, StoredPool } from "../store/types.js";

/** A domain as its pool's stored record holds it. */
export type StoredDomain = DeepReadonly<DomainRecord>;

/** A domain and the pool it belongs to. */
export interface PoolDomain {
  pool: StoredPool;
  domain: StoredDomain;
}

/** What CreateUserPoolDomain sets when ManagedLoginVersion is left out: the hosted UI (classic). */
const DEFAULT_MANAGED_LOGIN_VERSION = 1;

/** One DNS label as Cognito takes it: the model's DomainType pattern. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_WORDS = ["aws", "amazon", "cognito"] as const;

/**
 * Checks a domain name as CreateUserPoolDomain does: a prefix is one label (lower-case letters,
 * digits, hyphens, no hyphen at either end) without a reserved word among its hyphen-separated
 * words; a custom domain is two or more such labels joined by dots.
 *
 * @example
 * checkDomainName("myapp-auth", false); // fine
 * checkDomainName("auth.example.com", false); // throws: dots are for custom domains
 */
export function checkDomainName(name: string, custom: boolean): void {
  const labels = custom ? name.split(".") : [name];
  if (!labels.every((label) => LABEL.test(label))) throw errors.domainInvalidCharacter();
  if (custom) {
    if (labels.length < 2) throw errors.customDomainNotQualified(name);
    return;
  }
  const words = name.split("-");
  const reserved = RESERVED_WORDS.find((word) => words.includes(word));
  if (reserved) throw errors.domainReservedWord(reserved);
}

/** ManagedLoginVersion as given, else the default; only 1 and 2 exist. */
export function managedLoginVersion(given: number | undefined): number {
  const version = given ?? DEFAULT_MANAGED_LOGIN_VERSION;
  if (version !== 1 && version !== 2) throw errors.managedLoginVersionInvalid(version);
  return version;
}

/** The region a pool lives in: its id's prefix (`us-east-1_AbC123` -> `us-east-1`). */
export function poolRegion(pool: Pick<StoredPool, "id">): string {
  const underscore = pool.id.indexOf("_");
  return underscore === -1 ? pool.id : pool.id.slice(0, underscore);
}

/**
 * The pool and domain record a domain name belongs to: a prefix (`myapp`) or a custom domain's
 * full name (`auth.example.com`), as the API's `Domain` parameter names them. Names are unique
 * across the emulator, so at most one pool answers. Case is ignored.
 */
export function poolByDomain(store: Services["store"], name: string): PoolDomain | undefined {
  const wanted = name.toLowerCase();
  for (const pool of store.listPools()) {
    const domain = pool.domains?.find((d) => d.domain === wanted);
    if (domain) return { pool, domain };
  }
  return undefined;
}

const PREFIX_HOST = /^([a-z0-9-]+)\.auth\.([a-z0-9-]+)\.amazoncognito\.com$/;

/**
 * The pool and domain a request reached at `host` (a Host header: port and case ignored) is
 * for: `<prefix>.auth.<region>.amazoncognito.com` with the pool's own region, or a custom
 * domain's name. For the managed login pages and the OAuth 2.0 endpoints.
 *
 * @example
 * poolByHostname(store, "myapp.auth.us-east-1.amazoncognito.com:9229")?.pool.id; // "us-east-1_..."
 */
export function poolByHostname(store: Services["store"], host: string): PoolDomain | undefined {
  const name = host.trim().toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
  const prefix = PREFIX_HOST.exec(name);
  if (prefix) {
    const found = poolByDomain(store, prefix[1]!);
    return found && !found.domain.custom && poolRegion(found.pool) === prefix[2] ? found : undefined;
  }
  const found = poolByDomain(store, name);
  return found?.domain.custom ? found : undefined;
}

/**
 * The hostname a domain answers at: `<prefix>.auth.<region>.amazoncognito.com` for a prefix
 * domain (`region` is the pool's, see poolRegion), the name itself for a custom domain.
 */
export function domainHostname(domain: Pick<StoredDomain, "domain" | "custom">, region: string): string {
  return domain.custom ? domain.domain : `${domain.domain}.auth.${region}.amazoncognito.com`;
}

/** The pool's domain of one kind (prefix or custom), if it has one. */
export function domainOfKind(pool: StoredPool, custom: boolean): StoredDomain | undefined {
  return pool.domains?.find((d) => d.custom === custom);
}

/**
 * The pool with `domains` as its domains, their names mirrored into `pool.Domain` (the prefix)
 * and `pool.CustomDomain`, as DescribeUserPool shows them.
 */
export function poolWithDomains(pool: StoredPool, domains: readonly StoredDomain[]): StoredPool {
  const { domains: _old, ...rest } = pool;
  const { Domain: _prefix, CustomDomain: _custom, ...settings } = pool.pool;
  const prefix = domains.find((d) => !d.custom);
  const custom = domains.find((d) => d.custom);
  return {
    ...rest,
    pool: {
      ...settings,
      ...(prefix ? { Domain: prefix.domain } : {}),
      ...(custom ? { CustomDomain: custom.domain } : {}),
    },
    ...(domains.length > 0 ? { domains } : {}),
  };
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/**
 * The CloudFront distribution a domain is served by, in CloudFront's form (`d` and 13
 * characters). Derived from the name, so it is stable without being stored: a custom domain gets
 * its own; prefix domains share their region's, as in Cognito.
 */
export function cloudFrontDomain(
  pool: Pick<StoredPool, "id">,
  domain: Pick<StoredDomain, "domain" | "custom">,
): string {
  const seed = domain.custom ? `custom:${domain.domain}` : `prefix:${poolRegion(pool)}`;
  const digest = createHash("sha256").update(seed).digest();
  let id = "d";
  for (let i = 0; i < 13; i++) id += ID_ALPHABET[digest[i]! % ID_ALPHABET.length];
  return `${id}.cloudfront.net`;
}

/** The regional bucket Cognito's describe names for prefix domains (its airport-code naming). */
const ASSET_BUCKET_CODES: Readonly<Record<string, string>> = {
  "us-east-1": "iad",
  "us-east-2": "cmh",
  "us-west-1": "sfo",
  "us-west-2": "pdx",
  "ca-central-1": "yul",
  "eu-west-1": "dub",
  "eu-west-2": "lhr",
  "eu-west-3": "cdg",
  "eu-central-1": "fra",
  "eu-north-1": "arn",
  "ap-northeast-1": "nrt",
  "ap-northeast-2": "icn",
  "ap-southeast-1": "sin",
  "ap-southeast-2": "syd",
  "ap-south-1": "bom",
  "sa-east-1": "gru",
};

/** The domain as DescribeUserPoolDomain answers it. */
export function describeDomain(pool: StoredPool, domain: StoredDomain, accountId: string): Wire<DomainDescriptionType> {
  const code = domain.custom ? undefined : ASSET_BUCKET_CODES[poolRegion(pool)];
  return {
    UserPoolId: pool.id,
    AWSAccountId: accountId,
    Domain: domain.domain,
    ...(code ? { S3Bucket: `aws-cognito-prod-${code}-assets` } : {}),
    CloudFrontDistribution: cloudFrontDomain(pool, domain),
    // Cognito's Version is a UTC timestamp, yyyyMMddHHmmss: here, when the domain was created.
    Version: new Date(domain.createdAt).toISOString().replace(/[-:T]/g, "").slice(0, 14),
    Status: "ACTIVE",
    ...(domain.custom && domain.certificateArn !== undefined
      ? { CustomDomainConfig: { CertificateArn: domain.certificateArn } }
      : {}),
    ManagedLoginVersion: domain.managedLoginVersion,
  };
}
