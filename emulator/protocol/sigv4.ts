// Just enough SigV4 to accept "any well-formed signature" and take the region from its scope.
// The signature itself is not checked: the emulator has no secret keys to check it against.

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
