// Registering a passkey for a signed-in user: StartWebAuthnRegistration's creation options and
// CompleteWebAuthnRegistration's checks, with the attestation verified by @simplewebauthn/server.
// Each refusal is the Cognito error the API reference names for it (docs/decisions/0021-passkeys.md).
import { createHash, randomBytes } from "node:crypto";
import type { Services } from "../../context.js";
import { CognitoError, errors } from "../../core/errors.js";
import type {
  PendingWebAuthnRegistration,
  StoredPool,
  StoredUser,
  UserRecord,
  WebAuthnCredentialRecord,
} from "../../store/types.js";
import { attr } from "../users/records.js";
import { updateUser } from "../users/update.js";
import {
  clientData,
  findCredential,
  friendlyName,
  readRegistrationResponse,
  trimPadding,
  userHandle,
} from "./credentials.js";
import { type WebAuthnLibrary, webAuthnLibrary } from "./library.js";
import {
  CEREMONY_TIMEOUT_MS,
  MAX_CREDENTIALS_PER_USER,
  originAllowed,
  relyingParty,
  requireWebAuthn,
  SUPPORTED_ALGORITHMS,
} from "./relying-party.js";

/** What registering uses: the store, the clock, and the user's lock. */
type RegistrationContext = Pick<Services, "store" | "clock" | "locks">;

/** The signed-in user a registration call is for (from a verified access token). */
export interface Registrant {
  pool: StoredPool;
  user: StoredUser;
  /** The app client the access token was issued to. */
  clientId: string;
}

/** Attestation formats @simplewebauthn/server verifies. */
const KNOWN_FORMATS = new Set(["none", "packed", "fido-u2f", "android-key", "android-safetynet", "tpm", "apple"]);

/**
 * The name a passkey manager shows for the account: the username, or in a pool that signs in
 * with email or phone (whose usernames are generated), that address.
 */
function accountName(pool: StoredPool, user: StoredUser): string {
  const aliases = pool.pool.UsernameAttributes ?? [];
  const email = aliases.includes("email") ? attr(user, "email") : undefined;
  const phone = aliases.includes("phone_number") ? attr(user, "phone_number") : undefined;
  return email ?? phone ?? user.username;
}

/**
 * StartWebAuthnRegistration: a fresh challenge, kept on the user (a newer one replaces it) for
 * CEREMONY_TIMEOUT_MS, and the PublicKeyCredentialCreationOptionsJSON the client hands to
 * `navigator.credentials.create` (Amplify's associateWebAuthnCredential does).
 */
export async function startRegistration(ctx: RegistrationContext, who: Registrant): Promise<Record<string, unknown>> {
  const { pool, user } = who;
  requireWebAuthn(pool);
  const rp = relyingParty(pool);
  // Start's errors include LimitExceededException: a user at the quota cannot begin another.
  if ((user.webAuthnCredentials?.length ?? 0) >= MAX_CREDENTIALS_PER_USER) {
    throw errors.webAuthnCredentialLimit(MAX_CREDENTIALS_PER_USER);
  }
  const challenge = randomBytes(32).toString("base64url");
  const pending: PendingWebAuthnRegistration = {
    challenge,
    clientId: who.clientId,
    relyingPartyId: rp.id,
    userVerification: rp.userVerification,
    expiresAt: ctx.clock.now() + CEREMONY_TIMEOUT_MS,
  };
  const current = await updateUser(
    ctx,
    pool,
    user,
    (next) => {
      next.pendingWebAuthnRegistration = pending;
      return next as StoredUser;
    },
    { touch: false },
  );
  const name = accountName(pool, current);
  return {
    challenge,
    rp: { id: rp.id, name: rp.id },
    user: { id: userHandle(current), name, displayName: name },
    pubKeyCredParams: SUPPORTED_ALGORITHMS.map((alg) => ({ type: "public-key", alg })),
    timeout: CEREMONY_TIMEOUT_MS,
    // The user's passkeys for this RP: an authenticator that holds one of them does not make a second.
    excludeCredentials: (current.webAuthnCredentials ?? [])
      .filter((c) => c.relyingPartyId === rp.id)
      .map((c) => ({ type: "public-key", id: c.credentialId, transports: [...c.transports] })),
    authenticatorSelection: {
      requireResidentKey: true,
      residentKey: "required",
      userVerification: rp.userVerification,
    },
  };
}

/** The COSE algorithm of a credential public key (the library decodes it). */
function publicKeyAlgorithm(
  helpers: WebAuthnLibrary["helpers"],
  publicKey: Uint8Array<ArrayBuffer>,
): number | undefined {
  try {
    return helpers.decodeCredentialPublicKey(publicKey).get(helpers.cose.COSEKEYS.alg);
  } catch {
    throw errors.webAuthnCredentialMalformed("the credential public key is not a COSE key");
  }
}

/**
 * Checks a registration against its pending challenge in the order Cognito's errors suggest:
 * the challenge (WebAuthnChallengeNotFoundException), the client (WebAuthnClientMismatchException),
 * the origin (WebAuthnOriginNotAllowedException), the RP ID hash in the authenticator data
 * (WebAuthnRelyingPartyMismatchException), what the pool takes (WebAuthnCredentialNotSupportedException),
 * then the attestation itself. Answers the credential to store.
 */
async function verifyRegistration(
  { server, helpers }: WebAuthnLibrary,
  ctx: RegistrationContext,
  who: Registrant,
  user: UserRecord,
  input: unknown,
): Promise<WebAuthnCredentialRecord> {
  const response = readRegistrationResponse(input);
  const pending = user.pendingWebAuthnRegistration;
  if (!pending || ctx.clock.now() > pending.expiresAt) throw errors.webAuthnChallengeNotFound();
  if (pending.clientId !== who.clientId) throw errors.webAuthnClientMismatch();
  const data = clientData(response.response.clientDataJSON);
  if (data.type !== "webauthn.create")
    throw errors.webAuthnCredentialMalformed("clientDataJSON type is not webauthn.create");
  if (trimPadding(data.challenge) !== pending.challenge) throw errors.webAuthnChallengeNotFound();
  const rpId = pending.relyingPartyId;
  if (!originAllowed(data.origin, rpId)) throw errors.webAuthnOriginNotAllowed(data.origin, rpId);
  let fmt: string;
  let authData: ReturnType<typeof helpers.parseAuthenticatorData>;
  try {
    const attestation = helpers.decodeAttestationObject(
      helpers.isoBase64URL.toBuffer(response.response.attestationObject),
    );
    fmt = attestation.get("fmt");
    authData = helpers.parseAuthenticatorData(attestation.get("authData"));
  } catch {
    throw errors.webAuthnCredentialMalformed("response.attestationObject is not an attestation object");
  }
  const expectedHash = createHash("sha256").update(rpId).digest();
  if (!expectedHash.equals(Buffer.from(authData.rpIdHash))) throw errors.webAuthnRelyingPartyMismatch(rpId);
  if (!KNOWN_FORMATS.has(fmt)) throw errors.webAuthnCredentialNotSupported(`attestation format ${fmt}`);
  if (!authData.credentialID || !authData.credentialPublicKey) {
    throw errors.webAuthnCredentialMalformed("the authenticator data has no attested credential");
  }
  const alg = publicKeyAlgorithm(helpers, authData.credentialPublicKey);
  if (!SUPPORTED_ALGORITHMS.some((a) => a === alg)) {
    throw errors.webAuthnCredentialNotSupported(`public key algorithm ${String(alg)}`);
  }
  if (pending.userVerification === "required" && !authData.flags.uv) {
    throw errors.webAuthnCredentialNotSupported("the user pool requires user verification");
  }
  let verified: Awaited<ReturnType<typeof server.verifyRegistrationResponse>>;
  try {
    verified = await server.verifyRegistrationResponse({
      response,
      expectedChallenge: pending.challenge,
      expectedOrigin: data.origin,
      expectedRPID: rpId,
      expectedType: "webauthn.create",
      requireUserVerification: pending.userVerification === "required",
      supportedAlgorithmIDs: [...SUPPORTED_ALGORITHMS],
    });
  } catch (e) {
    if (e instanceof CognitoError) throw e;
    throw errors.webAuthnCredentialMalformed(`the attestation does not verify (${(e as Error).message})`);
  }
  if (!verified.verified) throw errors.webAuthnCredentialMalformed("the attestation does not verify");
  const info = verified.registrationInfo;
  const credentialId = trimPadding(info.credential.id);
  if (credentialId !== response.id) throw errors.webAuthnCredentialMalformed("id is not the attested credential's");
  const attachment = response.authenticatorAttachment;
  return {
    credentialId,
    publicKey: helpers.isoBase64URL.fromBuffer(info.credential.publicKey),
    counter: info.credential.counter,
    relyingPartyId: rpId,
    friendlyName: friendlyName(attachment),
    ...(attachment ? { attachment } : {}),
    transports: [...(response.response.transports ?? [])],
    aaguid: info.aaguid,
    createdAt: ctx.clock.now(),
  };
}

/**
 * CompleteWebAuthnRegistration: verifies the client's RegistrationResponseJSON against the
 * pending challenge and keeps the passkey on the user, as one unit of work (the challenge is
 * used once). A refused registration leaves the challenge for another try until it expires.
 */
export async function completeRegistration(ctx: RegistrationContext, who: Registrant, input: unknown): Promise<void> {
  requireWebAuthn(who.pool);
  // Loaded the first time a passkey is registered (library.ts), before the user's unit of work.
  const library = await webAuthnLibrary();
  await updateUser(
    ctx,
    who.pool,
    who.user,
    async (next) => {
      const credential = await verifyRegistration(library, ctx, who, next, input);
      if (findCredential(next, credential.credentialId)) throw errors.webAuthnCredentialExists();
      const have = next.webAuthnCredentials ?? [];
      if (have.length >= MAX_CREDENTIALS_PER_USER) throw errors.webAuthnCredentialLimit(MAX_CREDENTIALS_PER_USER);
      next.webAuthnCredentials = [...have, credential];
      delete next.pendingWebAuthnRegistration;
      return undefined;
    },
    { touch: false },
  );
}

/** DeleteWebAuthnCredential: removes one of the user's passkeys (ResourceNotFoundException when it has none by that ID). */
export async function deleteCredential(
  ctx: RegistrationContext,
  who: Pick<Registrant, "pool" | "user">,
  credentialId: string,
): Promise<void> {
  await updateUser(
    ctx,
    who.pool,
    who.user,
    (next) => {
      const found = findCredential(next, credentialId);
      if (!found) throw errors.webAuthnCredentialNotFound();
      const rest = (next.webAuthnCredentials ?? []).filter((c) => c.credentialId !== found.credentialId);
      if (rest.length > 0) next.webAuthnCredentials = rest;
      else delete next.webAuthnCredentials;
      return undefined;
    },
    { touch: false },
  );
}
