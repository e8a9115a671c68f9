import { generateKeyPairSync } from "node:crypto";
import { compactVerify, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { encodeHeader, signRs256 } from "./jws.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const other = generateKeyPairSync("rsa", { modulusLength: 2048 });

describe("signRs256", () => {
  it("makes a compact RS256 JWS that jose verifies with the public key", async () => {
    const token = await signRs256(encodeHeader("kid-1"), { sub: "s", exp: 2_000_000_000 }, privateKey);
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
      algorithms: ["RS256"],
      currentDate: new Date(1_900_000_000_000),
    });
    expect(protectedHeader).toEqual({ kid: "kid-1", alg: "RS256" });
    expect(payload).toEqual({ sub: "s", exp: 2_000_000_000 });
  });

  it("writes the header as Cognito does, kid then alg, and keeps the claims' order", async () => {
    const token = await signRs256(encodeHeader("k"), { z: 1, a: 2, m: [3] }, privateKey);
    const [h, p] = token.split(".");
    expect(Buffer.from(h!, "base64url").toString()).toBe('{"kid":"k","alg":"RS256"}');
    expect(Buffer.from(p!, "base64url").toString()).toBe('{"z":1,"a":2,"m":[3]}');
    expect(decodeProtectedHeader(token)).toEqual({ kid: "k", alg: "RS256" });
  });

  it("is refused under another key", async () => {
    const token = await signRs256(encodeHeader("k"), { sub: "s" }, privateKey);
    await expect(compactVerify(token, other.publicKey)).rejects.toThrow();
  });

  it("encodes non-ASCII claims as UTF-8", async () => {
    const token = await signRs256(encodeHeader("k"), { name: "Zoë 東京" }, privateKey);
    const { payload } = await jwtVerify(token, publicKey);
    expect(payload.name).toBe("Zoë 東京");
  });
});
