// A user's passkeys: reading the JSON a client sends (RegistrationResponseJSON for
// CompleteWebAuthnRegistration, AuthenticationResponseJSON for the WEB_AUTHN challenge) into the
// shapes @simplewebauthn/server verifies, and describing what is stored as
// ListWebAuthnCredentials does. No CBOR or COSE is parsed here: the library's helpers do that.
import type { WebAuthnCredentialDescription } from "@aws-sdk/client-cognito-identity-provider";
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { ClientDataJSON } from "@simplewebauthn/server/helpers";
import { errors } from "../../core/errors.js";
import type { Wire } from "../../core/wire.js";
import type { DeepReadonly, StoredUser, WebAuthnCredentialRecord } from "../../store/types.js";

/** A stored passkey as the store hands it out. */
export type StoredCredential = DeepReadonly<WebAuthnCredentialRecord>;

// The base64url here is Node's, not the library's isoBase64URL: these run before any
// verification (and in ListWebAuthnCredentials, StartWebAuthnRegistration), and importing the
// library for them would load it at start-up (library.ts). Each keeps isoBase64URL's behaviour.

/**
 * Whether a string is base64url as isoBase64URL.isBase64URL judges it: the URL alphabet, with
 * `=` allowed anywhere (it strips every `=` first) and no check of the length.
 */
function isBase64Url(value: string): boolean {
  return /^[-A-Za-z0-9_=]*$/.test(value);
}

/** A base64url string without its padding: every `=` removed, as isoBase64URL.trimPadding does. */
export function trimPadding(value: string): string {
  return value.replace(/=/g, "");
}

/**
 * The bytes of a base64url string as isoBase64URL.toBuffer decodes it: an `=` anywhere is a zero
 * digit, and the length is three bytes for four characters less one for each of up to two
 * trailing `=`, so a string padded where it needs none loses its last bytes (as it does in the
 * library's own decoding of clientDataJSON, in the verification).
 */
function base64UrlBytes(value: string): Buffer {
  const padding = value.endsWith("==") ? 2 : value.endsWith("=") ? 1 : 0;
  const length = Math.max(0, Math.floor(value.length * 0.75 - padding));
  return Buffer.from(value.replace(/=/g, "A"), "base64url").subarray(0, length);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A base64url string member, or the malformed-credential error naming it. */
function base64UrlMember(from: Record<string, unknown>, name: string, where: string): string {
  const value = from[name];
  if (typeof value !== "string" || value === "" || !isBase64Url(value)) {
    throw errors.webAuthnCredentialMalformed(`${where}${name} must be a base64url string`);
  }
  return value;
}

/** The members both responses share: id, rawId (equal), type, and the response object. */
function credentialEnvelope(value: unknown): { id: string; response: Record<string, unknown> } {
  if (!isObject(value)) throw errors.webAuthnCredentialMalformed("not a JSON object");
  const id = base64UrlMember(value, "id", "");
  const rawId = base64UrlMember(value, "rawId", "");
  if (trimPadding(id) !== trimPadding(rawId)) {
    throw errors.webAuthnCredentialMalformed("id and rawId differ");
  }
  if (value.type !== "public-key") throw errors.webAuthnCredentialMalformed("type must be public-key");
  if (!isObject(value.response)) throw errors.webAuthnCredentialMalformed("response must be an object");
  if (value.clientExtensionResults !== undefined && !isObject(value.clientExtensionResults)) {
    throw errors.webAuthnCredentialMalformed("clientExtensionResults must be an object");
  }
  if (value.authenticatorAttachment !== undefined && typeof value.authenticatorAttachment !== "string") {
    throw errors.webAuthnCredentialMalformed("authenticatorAttachment must be a string");
  }
  return { id: trimPadding(id), response: value.response };
}

/** Reads a RegistrationResponseJSON (CompleteWebAuthnRegistration's Credential). */
export function readRegistrationResponse(value: unknown): RegistrationResponseJSON {
  const { id, response } = credentialEnvelope(value);
  const clientDataJSON = base64UrlMember(response, "clientDataJSON", "response.");
  const attestationObject = base64UrlMember(response, "attestationObject", "response.");
  const transports = response.transports;
  if (transports !== undefined && !(Array.isArray(transports) && transports.every((t) => typeof t === "string"))) {
    throw errors.webAuthnCredentialMalformed("response.transports must be a list of strings");
  }
  const v = value as Record<string, unknown>;
  return {
    id,
    rawId: id,
    type: "public-key",
    response: {
      clientDataJSON,
      attestationObject,
      ...(transports ? { transports: transports as AuthenticatorTransportFuture[] } : {}),
    },
    clientExtensionResults: (v.clientExtensionResults ?? {}) as RegistrationResponseJSON["clientExtensionResults"],
    ...(typeof v.authenticatorAttachment === "string"
      ? { authenticatorAttachment: v.authenticatorAttachment as RegistrationResponseJSON["authenticatorAttachment"] }
      : {}),
  };
}

/** Reads an AuthenticationResponseJSON (the WEB_AUTHN challenge's CREDENTIAL, as JSON text). */
export function readAuthenticationResponse(text: string): AuthenticationResponseJSON {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errors.webAuthnCredentialMalformed("CREDENTIAL is not JSON");
  }
  const { id, response } = credentialEnvelope(value);
  const userHandle = response.userHandle;
  if (userHandle !== undefined && userHandle !== null && typeof userHandle !== "string") {
    throw errors.webAuthnCredentialMalformed("response.userHandle must be a string");
  }
  const v = value as Record<string, unknown>;
  return {
    id,
    rawId: id,
    type: "public-key",
    response: {
      clientDataJSON: base64UrlMember(response, "clientDataJSON", "response."),
      authenticatorData: base64UrlMember(response, "authenticatorData", "response."),
      signature: base64UrlMember(response, "signature", "response."),
      ...(typeof userHandle === "string" && userHandle !== "" ? { userHandle } : {}),
    },
    clientExtensionResults: (v.clientExtensionResults ?? {}) as AuthenticationResponseJSON["clientExtensionResults"],
  };
}

/**
 * clientDataJSON decoded as the library's decodeClientDataJSON does (UTF-8 through TextDecoder,
 * which drops a byte order mark and replaces bad bytes), or the malformed-credential error.
 */
export function clientData(encoded: string): ClientDataJSON {
  try {
    const data = JSON.parse(new TextDecoder().decode(base64UrlBytes(encoded))) as ClientDataJSON;
    if (typeof data?.type !== "string" || typeof data.challenge !== "string" || typeof data.origin !== "string") {
      throw new Error("incomplete");
    }
    return data;
  } catch {
    throw errors.webAuthnCredentialMalformed("response.clientDataJSON is not a client data JSON");
  }
}

/** The WebAuthn user handle Cognito's options carry for a user: the sub, base64url. */
export function userHandle(user: Pick<StoredUser, "sub">): string {
  return Buffer.from(user.sub, "utf8").toString("base64url");
}

/** The user's passkey with this credential ID, if any. */
export function findCredential(user: StoredUser, credentialId: string): StoredCredential | undefined {
  const wanted = trimPadding(credentialId);
  return user.webAuthnCredentials?.find((c) => c.credentialId === wanted);
}

/** A stored passkey as ListWebAuthnCredentials answers it. */
export function describeCredential(c: StoredCredential): Wire<WebAuthnCredentialDescription> {
  return {
    CredentialId: c.credentialId,
    FriendlyCredentialName: c.friendlyName,
    RelyingPartyId: c.relyingPartyId,
    ...(c.attachment ? { AuthenticatorAttachment: c.attachment } : {}),
    AuthenticatorTransports: [...c.transports],
    CreatedAt: c.createdAt / 1000,
  };
}

/**
 * The name Cognito generates for a new passkey (it takes none from the user): by what kind of
 * authenticator made it, as far as the client said (docs/decisions/0021-passkeys.md).
 */
export function friendlyName(attachment: string | undefined): string {
  if (attachment === "platform") return "Platform authenticator";
  if (attachment === "cross-platform") return "Security key";
  return "Passkey";
}
