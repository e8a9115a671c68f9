// The pool's SAML signing key: made once (two callers at once share it), kept with the pool
// record, and that record as the data directory's schema takes it; a pool that does not exist
// is Cognito's ResourceNotFoundException.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.js";
import { CognitoError } from "../../core/errors.js";
import { recordProblem } from "../../persistence/state-schema.js";
import { Store } from "../../store/store.js";
import { poolSamlSigningKey } from "./saml-keys.js";

const POOL = "us-east-1_SamlKeys1";

describe("poolSamlSigningKey", () => {
  it("makes one key pair per pool, stores it with the pool, valid ten years from the clock", async () => {
    const store = new Store();
    const clock = new ManualClock(new Date("2030-01-01T00:00:00Z"));
    store.putPool({ id: POOL, pool: { Id: POOL, Name: "p" }, tags: {}, mfa: { MfaConfiguration: "OFF" } });
    const ctx = { store, clock } as never;
    const [a, b] = await Promise.all([poolSamlSigningKey(ctx, POOL), poolSamlSigningKey(ctx, POOL)]);
    expect(b).toEqual(a);
    expect(store.getPool(POOL)?.samlSigning).toEqual(a);
    expect(await poolSamlSigningKey(ctx, POOL)).toEqual(a);

    const x509 = new X509Certificate(Buffer.from(a.certificate, "base64"));
    expect(new Date(x509.validFrom).toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(new Date(x509.validTo).toISOString()).toBe("2040-01-01T00:00:00.000Z");
    expect(x509.checkPrivateKey(createPrivateKey(a.privateKey))).toBe(true);
    expect(recordProblem("pools", store.getPool(POOL))).toBeUndefined();
    expect(recordProblem("pools", { ...store.getPool(POOL), samlSigning: { privateKey: "" } })).toMatch(/samlSigning/);
  }, 30_000);

  it("answers ResourceNotFoundException for a pool that does not exist", async () => {
    const ctx = { store: new Store(), clock: new ManualClock() } as never;
    const e = await poolSamlSigningKey(ctx, POOL).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CognitoError);
    expect((e as CognitoError).type).toBe("ResourceNotFoundException");
  });
});
