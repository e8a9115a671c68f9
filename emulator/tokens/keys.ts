// Per-pool RS256 signing keys: generated at run time (never committed), lazily and off the
// event loop, so creating a pool costs nothing until its first token. Access and id tokens
// get different keys and kids, as real Cognito's do.
import { randomBytes } from "node:crypto";
import { errors } from "../core/errors.js";
import { encodeHeader } from "../crypto/jws.js";
import type { Store } from "../store/store.js";
import type { SigningKey } from "../store/types.js";
import { generateRsaKey, type LoadedRsaKey, loadRsaKey, PerPoolLoads, type RsaJwk } from "./signing-keys.js";

/** A signing key ready to use: parsed once, reused for every token. */
type LoadedKey = LoadedRsaKey<"RS256">;

/** A public JWK as a JWKS lists it. */
export type JsonWebKeyRecord = RsaJwk<"RS256">;

/** A pool's two key pairs. */
export interface PoolKeys {
  access: LoadedKey;
  id: LoadedKey;
}

/** Finds or creates the signing keys of each pool. */
export class KeyService {
  private readonly loaded = new PerPoolLoads((poolId) => this.load(poolId));
  /**
   * Key pairs made ahead for the next pool that signs someone in: generating an RSA key takes
   * 50-300 ms, and once one pool has needed keys others usually follow (every test file, every
   * scenario makes its own pool). Refilled in the background after each use, never before the
   * first, so an emulator whose pools never sign anyone in generates nothing.
   */
  private readonly spares: Promise<SigningKey>[] = [];
  /**
   * With `shared`: the two key pairs every pool signs with (access, id), generated once, in the
   * background from the start (an emulator opted in is one whose pools sign people in: the
   * suites the option is for sign someone in within their first 100 ms); each pool still gets
   * kids of its own (docs/tokens.md, "Shared signing keys"; docs/decisions/0037-shared-signing-keys.md).
   */
  private sharedPairs: readonly [Promise<SigningKey>, Promise<SigningKey>] | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: { readonly shared?: boolean } = {},
  ) {
    if (options.shared) this.sharedMaterial();
  }

  /** The keys of a pool, generated (and stored with the pool) on first use. */
  keysFor(poolId: string): Promise<PoolKeys> {
    return this.loaded.get(poolId);
  }

  /** Forgets cached keys (pool deleted or state reset). */
  forget(poolId?: string): void {
    this.loaded.forget(poolId);
  }

  /** The pool's JWKS document. */
  async jwks(poolId: string): Promise<{ keys: JsonWebKeyRecord[] }> {
    const k = await this.keysFor(poolId);
    return { keys: [k.access.publicJwk, k.id.publicJwk] };
  }

  /** A key for a pool that has none: a spare, or with `shared` the shared pair's `use` one. */
  private takeKey(use: 0 | 1): Promise<SigningKey> {
    if (this.options.shared) return this.sharedKey(use);
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

  private async sharedKey(use: 0 | 1): Promise<SigningKey> {
    const material = await this.sharedMaterial()[use];
    return { kid: newKid(), privateJwk: material.privateJwk, publicJwk: material.publicJwk };
  }

  /** The shared pairs, generating them if no generation is under way or done. */
  private sharedMaterial(): readonly [Promise<SigningKey>, Promise<SigningKey>] {
    if (!this.sharedPairs) {
      const pairs = [newSigningKey(), newSigningKey()] as const;
      this.sharedPairs = pairs;
      // A generation that failed is tried again by the next pool (and, started ahead, unhandled by none).
      for (const p of pairs) p.catch(() => (this.sharedPairs = undefined));
    }
    return this.sharedPairs;
  }

  private async load(poolId: string): Promise<PoolKeys> {
    const pool = this.store.getPool(poolId);
    // A pool deleted while a request about it was in flight: an answer, not a fault.
    if (!pool) throw errors.userPoolNotFound(poolId);
    let keys = pool.keys;
    if (!keys) {
      const [access, id] = await Promise.all([this.takeKey(0), this.takeKey(1)]);
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

/** A user pool key's kid: Cognito's are 32 random bytes in base64. */
function newKid(): string {
  return randomBytes(32).toString("base64");
}

/** A new user pool key under a new kid. */
function newSigningKey(): Promise<SigningKey> {
  return generateRsaKey(newKid());
}

function loadKey(key: SigningKey): LoadedKey {
  return loadRsaKey(key, "RS256", encodeHeader(key.kid));
}
