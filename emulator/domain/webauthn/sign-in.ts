// Signing in with a passkey: the WEB_AUTHN challenge of USER_AUTH (CREDENTIAL_REQUEST_OPTIONS)
// and the check of its answer (CREDENTIAL, an AuthenticationResponseJSON), verified by
// @simplewebauthn/server with the stored public key and signature counter.
import { randomBytes } from "node:crypto";
import type { InitiateAuthResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Services } from "../../context.js";
import { type CognitoError, errors } from "../../core/errors.js";
import type { Wire } from "../../core/wire.js";
import type { StoredChallenge, StoredClient, StoredPool, StoredUser } from "../../store/types.js";
import { openChallenge } from "../auth.js";
import { clientData, findCredential, readAuthenticationResponse, trimPadding, userHandle } from "./credentials.js";
import { webAuthnLibrary } from "./library.js";
import { CEREMONY_TIMEOUT_MS, originAllowed, relyingParty, webAuthnEnabled } from "./relying-party.js";

/** The challenge's name, as ChallengeNameType spells it. */
export const WEB_AUTHN = "WEB_AUTHN";

/**
 * True when USER_AUTH may offer this user WEB_AUTHN: the pool allows passkeys as a first factor,
 * has a relying party, and the user has a passkey registered for it.
 */
export function canSignInWithPasskey(pool: StoredPool, user: StoredUser): boolean {
  if (!webAuthnEnabled(pool)) return false;
  let rpId: string;
  try {
    rpId = relyingParty(pool).id;
  } catch {
    return false;
  }
  return (user.webAuthnCredentials ?? []).some((c) => c.relyingPartyId === rpId);
}

/**
 * Opens the WEB_AUTHN challenge for a user of USER_AUTH (PREFERRED_CHALLENGE=WEB_AUTHN, or the
 * answer WEB_AUTHN to SELECT_CHALLENGE): a fresh challenge kept in the session, and the
 * PublicKeyCredentialRequestOptionsJSON (`navigator.credentials.get`'s options) in
 * CREDENTIAL_REQUEST_OPTIONS, naming the user's passkeys for the pool's relying party. The caller
 * decides that the user may (canSignInWithPasskey); this throws Cognito's error when the pool
 * has no passkeys or no relying party.
 */
export function startWebAuthnSignIn(
  ctx: Pick<Services, "store" | "clock">,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
): Wire<InitiateAuthResponse> {
  if (!webAuthnEnabled(pool)) throw errors.webAuthnNotEnabled();
  const rp = relyingParty(pool);
  const challenge = randomBytes(32).toString("base64url");
  const record = openChallenge(ctx, pool, client, user, WEB_AUTHN, {
    challenge,
    rpId: rp.id,
    userVerification: rp.userVerification,
  });
  const options = {
    challenge,
    timeout: CEREMONY_TIMEOUT_MS,
    rpId: rp.id,
    allowCredentials: (user.webAuthnCredentials ?? [])
      .filter((c) => c.relyingPartyId === rp.id)
      .map((c) => ({ type: "public-key", id: c.credentialId, transports: [...c.transports] })),
    userVerification: rp.userVerification,
  };
  return {
    ChallengeName: WEB_AUTHN,
    Session: record.session,
    ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
  };
}

/** What a verified assertion changes on the user: the passkey's new signature counter. */
export interface VerifiedAssertion {
  credentialId: string;
  newCounter: number;
}

/**
 * Checks a WEB_AUTHN answer (the CREDENTIAL text) against the session's challenge and the user's
 * passkeys. A CREDENTIAL that is not a WebAuthn response is InvalidParameterException; one that
 * does not prove a passkey of this user (unknown credential or user handle, wrong type,
 * challenge, origin or RP ID, a bad signature, a counter that did not move on) answers
 * NotAuthorizedException, for the caller to count as a wrong answer. RespondToAuthChallenge has
 * none of the WebAuthn* errors (docs/decisions/0021-passkeys.md).
 */
export async function verifyPasskeyAnswer(
  record: StoredChallenge,
  user: StoredUser,
  credentialText: string,
): Promise<VerifiedAssertion | CognitoError> {
  const response = readAuthenticationResponse(credentialText);
  const data = clientData(response.response.clientDataJSON);
  const rpId = record.data.rpId!;
  const stored = findCredential(user, response.id);
  if (!stored || stored.relyingPartyId !== rpId) return errors.webAuthnAssertionFailed();
  const handle = response.response.userHandle;
  if (handle !== undefined && trimPadding(handle) !== userHandle(user)) {
    return errors.webAuthnAssertionFailed();
  }
  if (data.type !== "webauthn.get" || !originAllowed(data.origin, rpId)) return errors.webAuthnAssertionFailed();
  if (trimPadding(data.challenge) !== record.data.challenge) return errors.webAuthnAssertionFailed();
  // Loaded here, the first time a passkey is checked (library.ts); a failed import is the
  // emulator's fault, not a wrong answer, so it is not caught below.
  const { server, helpers } = await webAuthnLibrary();
  try {
    const verified = await server.verifyAuthenticationResponse({
      response,
      expectedChallenge: record.data.challenge!,
      expectedOrigin: data.origin,
      expectedRPID: rpId,
      expectedType: "webauthn.get",
      credential: {
        id: stored.credentialId,
        publicKey: helpers.isoBase64URL.toBuffer(stored.publicKey),
        counter: stored.counter,
      },
      requireUserVerification: record.data.userVerification === "required",
    });
    if (!verified.verified) return errors.webAuthnAssertionFailed();
    return { credentialId: stored.credentialId, newCounter: verified.authenticationInfo.newCounter };
  } catch {
    // The library throws for a bad signature, a wrong RP ID hash, a missing UP/UV flag and a
    // counter that did not increase: each a failed proof.
    return errors.webAuthnAssertionFailed();
  }
}
