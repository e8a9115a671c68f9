// The user pool's SAML signing key (GetSigningCertificate), made on first use and kept with the
// pool record, so it is persisted (--data-dir) and survives a restart as the token keys do. Two
// requests that need it at once share one generation: a pool never has two certificates.
import type { Services } from "../../context.js";
import { errors } from "../../core/errors.js";
import { newSamlKeyPair, type SamlKeyPair } from "../../crypto/saml-certificates.js";

/** Generations in flight, per store (one emulator) and pool. */
const pending = new WeakMap<object, Map<string, Promise<SamlKeyPair>>>();

/**
 * The pool's SAML signing key pair: the one stored with the pool, or a new one (valid ten years
 * from the emulator's clock) stored now. ResourceNotFoundException when there is no such pool.
 */
export async function poolSamlSigningKey(ctx: Pick<Services, "store" | "clock">, poolId: string): Promise<SamlKeyPair> {
  const pool = ctx.store.getPool(poolId);
  if (!pool) throw errors.userPoolNotFound(poolId);
  if (pool.samlSigning) return pool.samlSigning;
  let inFlight = pending.get(ctx.store);
  if (!inFlight) {
    inFlight = new Map();
    pending.set(ctx.store, inFlight);
  }
  const flights = inFlight;
  let made = flights.get(poolId);
  if (!made) {
    made = (async () => {
      try {
        const pair = await newSamlKeyPair(poolId, "signing", ctx.clock.now());
        // The pool may have changed meanwhile: write onto the latest record.
        const latest = ctx.store.getPool(poolId);
        if (!latest) throw errors.userPoolNotFound(poolId);
        if (latest.samlSigning) return latest.samlSigning;
        ctx.store.putPool({ ...latest, samlSigning: pair });
        return pair;
      } finally {
        flights.delete(poolId);
      }
    })();
    flights.set(poolId, made);
  }
  return made;
}
