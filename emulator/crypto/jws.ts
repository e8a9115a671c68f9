// RS256 compact JWS with node:crypto directly (docs/decisions/0010-hot-paths.md): the key is a
// KeyObject parsed once per pool, the protected header is encoded once per key, and the RSA
// operation runs on libuv's thread pool, so a sign-in's two signatures use both cores and the
// event loop keeps serving requests meanwhile.
import { type KeyObject, sign as signCallback } from "node:crypto";

/** The base64url protected header `{"kid":...,"alg":"RS256"}` (the order Cognito's tokens use). */
export function encodeHeader(kid: string): string {
  return Buffer.from(JSON.stringify({ kid, alg: "RS256" })).toString("base64url");
}

/**
 * Signs `payload` as a compact RS256 JWS under a pre-encoded header. The claims keep the
 * insertion order of `payload`, as JSON.stringify writes them.
 */
export function signRs256(header: string, payload: Record<string, unknown>, privateKey: KeyObject): Promise<string> {
  const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  return new Promise((resolve, reject) => {
    // RSASSA-PKCS1-v1_5 with SHA-256 is node's default for an RSA key: exactly RS256.
    signCallback("sha256", Buffer.from(input), privateKey, (err, signature) => {
      if (err) reject(err);
      else resolve(`${input}.${signature.toString("base64url")}`);
    });
  });
}
