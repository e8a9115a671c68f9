// Just enough SigV4 to accept "any well-formed signature" and take the region from its scope.
// The signature itself is not checked: the emulator has no secret keys to check it against.
import { REGION } from "../config.js";
import { errors } from "../core/errors.js";

/** The parts of an Authorization header that matter here. */
export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request\s*,\s*SignedHeaders=[a-z0-9;-]+\s*,\s*Signature=[0-9a-f]{64}\s*$/i;

/** Parses a SigV4 Authorization header; `undefined` when it is not well formed. */
export function parseSigV4(header: string): SigV4Scope | undefined {
  const m = AUTH.exec(header);
  if (!m) return undefined;
  return { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! };
}

/**
 * The scope's region, which names the region of the pools a call creates and finds: it must be
 * a region name (the pattern --region takes), else a 3,000-character "region" would make a pool
 * whose id no call can name. Real AWS refuses a scope naming a region its endpoint does not
 * serve with InvalidSignatureException, "Credential should be scoped to a valid region, not
 * '<region>'." (HTTP 400 on JSON 1.1 services); the emulator serves any well-formed region.
 */
export function scopeRegion(scope: SigV4Scope): string {
  if (REGION.test(scope.region)) return scope.region;
  const shown = scope.region.length > 64 ? `${scope.region.slice(0, 64)}...` : scope.region;
  throw errors.credentialScopeRegion(shown);
}
