// Per-pool RS256 signing keys: generated at run time (never committed), lazily and off the
// event loop, so creating a pool costs nothing until its first token. Access and id tokens
// get different keys and kids, as real Cognito's do.
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { errors } from "../core/errors.js";
import { encodeHeader } from "../crypto/jws.js";
import type { Store } from "../store/store.js";
import type { SigningKey } from "../store/types.js";

const generate = promisify(generateKeyPair);

/** A signing key ready to use: parsed once, reused for every token. */
interface LoadedKey {
  kid: string;
  /** The base64url JWS protected header of tokens signed with this key. */
  header: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JsonWebKeyRecord;
}

/** A public JWK as a JWKS lists it. */
export interface JsonWebKeyRecord {
  kid: string;
  alg: "RS256";
  kty: "RSA";
  e: string;
  n: string;
  use: "sig";
}

/** A pool's two key pairs. */
export interface PoolKeys {
  access: LoadedKey;
  id: LoadedKey;
}

/** Finds or creates the signing keys of each pool. */
export class KeyService {
  private readonly loaded = new Map<string, Promise<PoolKeys>>();
  /**
   * Key pairs made ahead for the next pool that signs someone in: generating an RSA key takes
   * 50-300 ms, and once one pool has needed keys others usually follow (every test file, every
   * scenario makes its own pool). Refilled in the background after each use, never before the
   * first, so an emulator whose pools never sign anyone in generates nothing.
   */
  private readonly spares: Promise<SigningKey>[] = [];

  constructor(private readonly store: Store) {}

  /** The keys of a pool, generated (and stored with the pool) on first use. */
  keysFor(poolId: string): Promise<PoolKeys> {
    let p = this.loaded.get(poolId);
    if (!p) {
      p = this.load(poolId);
      this.loaded.set(poolId, p);
      p.catch(() => this.loaded.delete(poolId));
    }
    return p;
  }

  /** Forgets cached keys (pool deleted or state reset). */
  forget(poolId?: string): void {
    if (poolId === undefined) this.loaded.clear();
    else this.loaded.delete(poolId);
  }

  /** The pool's JWKS document. */
  async jwks(poolId: string): Promise<{ keys: JsonWebKeyRecord[] }> {
    const k = await this.keysFor(poolId);
    return { keys: [k.access.publicJwk, k.id.publicJwk] };
  }

  private takeKey(): Promise<SigningKey> {
    const key = this.spares.shift() ?? newSigningKey();
    const refill = () => {
      while (this.spares.length < SPARE_KEYS) {
        const spare = newSigningKey();
        spare.catch(() => undefined); // seen by whoever takes it
        this.spares.push(spare);
      }
    };
    key.then(refill, refill);
    return key;
  }

  private async load(poolId: string): Promise<PoolKeys> {
    const pool = this.store.getPool(poolId);
    // A pool deleted while a request about it was in flight: an answer, not a fault.
    if (!pool) throw errors.userPoolNotFound(poolId);
    let keys = pool.keys;
    if (!keys) {
      const [access, id] = await Promise.all([this.takeKey(), this.takeKey()]);
      keys = { access, id };
      // The pool may have changed while the keys were generated; write onto the latest record.
      const latest = this.store.getPool(poolId);
      if (!latest) throw errors.userPoolNotFound(poolId);
      if (latest.keys) keys = latest.keys;
      else this.store.putPool({ ...latest, keys });
    }
    return { access: loadKey(keys.access), id: loadKey(keys.id) };
  }
}

/** Keys kept ready: one pool's access and id keys. */
const SPARE_KEYS = 2;

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generate("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  const kid = randomBytes(32).toString("base64");
  return {
    kid,
    privateJwk: privateKey.export({ format: "jwk" }) as Record<string, unknown>,
    publicJwk: publicKey.export({ format: "jwk" }) as Record<string, unknown>,
  };
}

function loadKey(key: SigningKey): LoadedKey {
  const privateKey = createPrivateKey({ key: key.privateJwk as never, format: "jwk" });
  const publicKey = createPublicKey({ key: key.publicJwk as never, format: "jwk" });
  const { e, n } = key.publicJwk as { e: string; n: string };
  return {
    kid: key.kid,
    header: encodeHeader(key.kid),
    privateKey,
    publicKey,
    publicJwk: { kid: key.kid, alg: "RS256", kty: "RSA", e, n, use: "sig" },
  };
}
