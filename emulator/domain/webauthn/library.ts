// @simplewebauthn/server, imported on first use: it pulls in @peculiar/asn1-* and costs about
// 170 ms to load, more than the whole start-up target (bench/startup.mjs), and most runs verify
// no passkey. The build leaves it out of the bundle (package.json's build:cli), so it is read
// from node_modules then, as openid-client is (federation/oidc.ts). What is needed before a
// verification (reading a client's JSON, the user handle) uses Node's base64url instead
// (credentials.ts).
import type * as Server from "@simplewebauthn/server";
import type * as Helpers from "@simplewebauthn/server/helpers";

/** The library's two entry points. */
export interface WebAuthnLibrary {
  /** `@simplewebauthn/server`: verifyRegistrationResponse, verifyAuthenticationResponse. */
  readonly server: typeof Server;
  /** `@simplewebauthn/server/helpers`: CBOR, COSE, authenticator data, isoBase64URL. */
  readonly helpers: typeof Helpers;
}

let loading: Promise<WebAuthnLibrary> | undefined;

/**
 * The library, loaded once on the first call and shared by every later one. A failed import is
 * not kept: the next call tries again.
 */
export function webAuthnLibrary(): Promise<WebAuthnLibrary> {
  loading ??= Promise.all([import("@simplewebauthn/server"), import("@simplewebauthn/server/helpers")]).then(
    ([server, helpers]) => ({ server, helpers }),
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}
