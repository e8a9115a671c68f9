// The identity pools' OpenID signing keys: one RS512 key pair per identity pool, generated at
// first use (off the event loop) and kept in the pool's record like the user pools' keys, so
// tokens stay verifiable across restarts. Cognito Identity signs with RS512 under a header
// `{"kid","typ":"JWS","alg":"RS512"}` (docs/decisions/0031-identity-pools.md); all pools' public
// keys are served together, as Cognito serves one JWKS for every identity pool.
import { randomBytes, sign } from "node:crypto";
import { compactVerify } from "jose";
import { identityErrors } from "../core/errors.js";
import type { IdentityPoolRecord } from "../store/identity-types.js";
import type { Store } from "../store/store.js";
import type { SigningKey } from "../store/types.js";
import {
  generateRsaKey,
  type LoadedRsaKey,
  loadRsaKey,
  PerPoolLoads,
  publicRsaJwk,
  type RsaJwk,
} from "./signing-keys.js";

/** A public JWK of an identity pool's key, as the JWKS lists it. */
type IdentityJwk = RsaJwk<"RS512">;

/** An identity pool's key ready to sign with. */
type LoadedIdentityKey = LoadedRsaKey<"RS512">;

/** Finds or creates the signing key of each identity pool. */
export class IdentityKeys {
  private readonly loaded = new PerPoolLoads((poolId) => this.load(poolId));

  constructor(private readonly store: Store) {}

  /** The key of an identity pool, generated (and stored with the pool) on first use. */
  keyFor(poolId: string): Promise<LoadedIdentityKey> {
    return this.loaded.get(poolId);
  }

  /** The public keys of every identity pool that has signed a token. */
  jwks(): { keys: IdentityJwk[] } {
    const keys: IdentityJwk[] = [];
    for (const pool of this.store.listIdentityPools()) if (pool.key) keys.push(publicRsaJwk(pool.key, "RS512"));
    return { keys };
  }

  /** Forgets cached keys (pool deleted or state reset). */
  forget(poolId?: string): void {
    this.loaded.forget(poolId);
  }

  private async load(poolId: string): Promise<LoadedIdentityKey> {
    const pool = this.store.getIdentityPool(poolId);
    if (!pool) throw identityErrors.identityPoolNotFound(poolId);
    let key = pool.key as SigningKey | undefined;
    if (!key) {
      const region = poolId.slice(0, poolId.indexOf(":"));
      key = await generateRsaKey(`${region}-${randomBytes(6).toString("hex")}`);
      // The pool may have changed (or gone) while the key was generated: write onto the latest record.
      const latest = this.store.getIdentityPool(poolId);
      if (!latest) throw identityErrors.identityPoolNotFound(poolId);
      if (latest.key) key = latest.key as SigningKey;
      else this.store.putIdentityPool({ ...(structuredClone(latest) as IdentityPoolRecord), key });
    }
    const header = Buffer.from(JSON.stringify({ kid: key.kid, typ: "JWS", alg: "RS512" })).toString("base64url");
    return loadRsaKey(key, "RS512", header);
  }
}

/** Signs `payload` as a compact RS512 JWS with an identity pool's key (claims in insertion order). */
export function signRs512(key: LoadedIdentityKey, payload: Record<string, unknown>): Promise<string> {
  const input = `${key.header}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  return new Promise((resolve, reject) => {
    // RSASSA-PKCS1-v1_5 with SHA-512, node's default padding for an RSA key: RS512.
    sign("sha512", Buffer.from(input), key.privateKey, (err, signature) => {
      if (err) reject(err);
      else resolve(`${input}.${signature.toString("base64url")}`);
    });
  });
}

/**
 * The claims of an identity pool's OpenID token when its signature is `key`'s (RS512 only);
 * undefined when it is not, or the payload is no JSON object. Times are the caller's to judge.
 */
export async function verifiedRs512Claims(
  key: LoadedIdentityKey,
  token: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const { payload } = await compactVerify(token, key.publicKey, { algorithms: ["RS512"] });
    const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
    return typeof claims === "object" && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
