// What the user pools' RS256 keys (keys.ts) and the identity pools' RS512 keys (identity-keys.ts)
// share: a per-pool cache of key loads, RSA key generation off the event loop, and turning a
// stored key into one ready to sign with. Only the algorithm, the kid and the header differ.
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import type { SigningKey } from "../store/types.js";

const generate = promisify(generateKeyPair);

/** A public RSA JWK as a JWKS lists it, for the algorithm `A`. */
export interface RsaJwk<A extends string> {
  kid: string;
  alg: A;
  kty: "RSA";
  e: string;
  n: string;
  use: "sig";
}

/** A signing key ready to use: parsed once, reused for every token. */
export interface LoadedRsaKey<A extends string> {
  kid: string;
  /** The base64url JWS protected header of tokens signed with this key. */
  header: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: RsaJwk<A>;
}

/**
 * One load in flight per pool: concurrent first requests share it, later ones reuse its answer,
 * and a failed load (the pool went away) is dropped so the next request tries again.
 */
export class PerPoolLoads<T> {
  private readonly loaded = new Map<string, Promise<T>>();

  constructor(private readonly load: (poolId: string) => Promise<T>) {}

  /** The pool's loaded value, loading it on first use. */
  get(poolId: string): Promise<T> {
    let p = this.loaded.get(poolId);
    if (!p) {
      p = this.load(poolId);
      this.loaded.set(poolId, p);
      p.catch(() => this.loaded.delete(poolId));
    }
    return p;
  }

  /** Forgets one pool's value, or every pool's (pool deleted or state reset). */
  forget(poolId?: string): void {
    if (poolId === undefined) this.loaded.clear();
    else this.loaded.delete(poolId);
  }
}

/** A new 2048-bit RSA key pair under `kid`, generated off the event loop (it takes 50-300 ms). */
export async function generateRsaKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generate("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  return {
    kid,
    privateJwk: privateKey.export({ format: "jwk" }) as Record<string, unknown>,
    publicJwk: publicKey.export({ format: "jwk" }) as Record<string, unknown>,
  };
}

/** The public JWK of a stored key, for the algorithm `alg`. */
export function publicRsaJwk<A extends string>(key: Pick<SigningKey, "kid" | "publicJwk">, alg: A): RsaJwk<A> {
  const { e, n } = key.publicJwk as { e: string; n: string };
  return { kid: key.kid, alg, kty: "RSA", e, n, use: "sig" };
}

/** A stored key parsed for signing with `alg` under the pre-encoded `header`. */
export function loadRsaKey<A extends string>(key: SigningKey, alg: A, header: string): LoadedRsaKey<A> {
  return {
    kid: key.kid,
    header,
    privateKey: createPrivateKey({ key: key.privateJwk as never, format: "jwk" }),
    publicKey: createPublicKey({ key: key.publicJwk as never, format: "jwk" }),
    publicJwk: publicRsaJwk(key, alg),
  };
}
