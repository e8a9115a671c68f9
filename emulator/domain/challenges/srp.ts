// USER_SRP_AUTH, the default sign-in of Amplify and amazon-cognito-identity-js: InitiateAuth (or
// AdminInitiateAuth) answers PASSWORD_VERIFIER, and the challenge answer proves the password with
// an SRP-6a signature. The math is emulator/crypto/srp.ts; this file keeps the exchange's state.
// Real Cognito sends no Session with PASSWORD_VERIFIER, so the exchange is stored under a key
// derived from the SECRET_BLOCK it issued (docs/decisions/0004-srp-implementation.md).

import { createHash } from "node:crypto";
import type { InitiateAuthResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { RequestFacts, Services } from "../../context.js";
import { errors } from "../../core/errors.js";
import type { Wire } from "../../core/wire.js";
import {
  isTimestampFresh,
  isValidA,
  newSecretBlock,
  parseTimestamp,
  simulatedSalt,
  simulatedUserIdForSrp,
  simulatedVerifier,
  startChallenge,
  verifyClaim,
} from "../../crypto/srp.js";
import type { ChallengeRecord, StoredChallenge, StoredClient, StoredPool, StoredUser } from "../../store/types.js";
import { checkSecretHash, hidesUsers, verifySignIn } from "../auth.js";
import { refuseBlockedAddress } from "../auth-events.js";
import { deviceForSignIn } from "../devices.js";
import { afterPassword } from "../flows.js";
import { preAuthentication } from "../triggers/authentication.js";
import { findUser, usesUsernameAttributes } from "../users/lookup.js";
import { attr } from "../users/records.js";
import type { ChallengeAnswer, ChallengeResult } from "./common.js";

/** Store key of an SRP exchange: never a Session string (those are base64url without `:`). */
function exchangeKey(secretBlock: string): string {
  return `srp:${createHash("sha256").update(secretBlock, "utf8").digest("base64url")}`;
}

/**
 * A secret for the simulated answers to unknown users, stable for as long as the pool keeps its
 * signing keys (which persist with the pool), so the same name shows the same SALT across calls
 * and restarts, and different pools or emulators cannot be correlated.
 */
async function simulationSecret(ctx: Pick<Services, "keys">, pool: StoredPool): Promise<Buffer> {
  const keys = await ctx.keys.keysFor(pool.id);
  return createHash("sha256")
    .update("cognito-twin/srp-simulation\0")
    .update(keys.id.privateKey.export({ format: "der", type: "pkcs8" }))
    .digest();
}

function normalisedName(pool: StoredPool, name: string): string {
  return pool.pool.UsernameConfiguration?.CaseSensitive === true ? name : name.toLowerCase();
}

/**
 * The username that challenges for an unknown name show (PreventUserExistenceErrors ENABLED): in
 * pools whose usernames are UUIDs (email or phone as username), a UUID-shaped id stable for the
 * name, as a real user's would be; elsewhere the name as given.
 */
export async function simulatedUsername(
  ctx: Pick<Services, "keys">,
  pool: StoredPool,
  username: string,
): Promise<string> {
  if (!usesUsernameAttributes(pool)) return username;
  return simulatedUserIdForSrp(pool.id, normalisedName(pool, username), await simulationSecret(ctx, pool));
}

/**
 * USER_SRP_AUTH: USERNAME + SRP_A (+ SECRET_HASH) in, the PASSWORD_VERIFIER challenge out. An
 * unknown user is UserNotFoundException, or with PreventUserExistenceErrors ENABLED a simulated
 * challenge (stable salt and user id) that no password answers. A user without an SRP verifier
 * (no password yet) gets the simulated values too, and fails at the verifier step. The pre
 * authentication trigger runs here, at the start, with the request's ClientMetadata.
 */
export async function srpFlow(
  ctx: Pick<Services, "store" | "clock" | "locks" | "keys" | "triggers"> & Pick<RequestFacts, "userAgent" | "sourceIp">,
  pool: StoredPool,
  client: StoredClient,
  params: Record<string, string>,
  clientMetadata?: Readonly<Record<string, string>>,
): Promise<Wire<InitiateAuthResponse>> {
  const { username, srpA } = srpParameters(client, params);
  // A blocked address is refused before any proof (threat protection).
  await refuseBlockedAddress(ctx, pool, client, username);
  await preAuthentication(ctx, pool, client, username, clientMetadata);
  const found = findUser(ctx, pool, username);
  if (!found && !hidesUsers(client)) throw errors.userNotFound();
  return passwordVerifierChallenge(ctx, pool, client, username, srpA, found);
}

/**
 * The SRP half of InitiateAuth's parameters, checked: USERNAME and SRP_A present, SECRET_HASH
 * right for the name given, and SRP_A a valid group element.
 */
export function srpParameters(
  client: StoredClient,
  params: Record<string, string>,
): { username: string; srpA: string } {
  const username = params.USERNAME;
  const srpA = params.SRP_A;
  if (!username) throw errors.missingParameter("USERNAME");
  if (!srpA) throw errors.missingParameter("SRP_A");
  checkSecretHash(client, params.SECRET_HASH, [username]);
  // Cognito answers a tampered SRP_A with InvalidParameterException; its message is not known.
  if (!isValidA(srpA)) throw errors.invalidSrpA();
  return { username, srpA };
}

/**
 * Opens an SRP exchange for `found` (or, when undefined, the unknown name `username`, with
 * simulated values) and answers its PASSWORD_VERIFIER challenge. `carry` is kept with the
 * exchange for the step after the proof (CUSTOM_AUTH keeps its challenge list there).
 */
export async function passwordVerifierChallenge(
  ctx: Pick<Services, "store" | "clock" | "keys">,
  pool: StoredPool,
  client: StoredClient,
  username: string,
  srpA: string,
  found: StoredUser | undefined,
  carry: Readonly<Record<string, string>> = {},
): Promise<Wire<InitiateAuthResponse>> {
  let userIdForSrp: string;
  let salt: string;
  let verifier: string;
  if (found?.password?.srp) {
    userIdForSrp = found.username;
    ({ salt, verifier } = found.password.srp);
  } else {
    const name = found?.username ?? normalisedName(pool, username);
    const secret = await simulationSecret(ctx, pool);
    userIdForSrp = found ? found.username : await simulatedUsername(ctx, pool, username);
    salt = simulatedSalt(pool.id, name, secret);
    verifier = simulatedVerifier(pool.id, name, secret);
  }

  const { b, B } = startChallenge(verifier);
  const secretBlock = newSecretBlock();
  const record: ChallengeRecord = {
    session: exchangeKey(secretBlock),
    poolId: pool.id,
    clientId: client.client.ClientId!,
    username: found?.username ?? username,
    challenge: "PASSWORD_VERIFIER",
    expiresAt: ctx.clock.now() + (client.client.AuthSessionValidity ?? 3) * 60_000,
    data: {
      ...carry,
      A: srpA,
      B,
      b,
      verifier,
      userIdForSrp,
      ...(found?.password?.srp ? {} : { simulated: "true" }),
    },
  };
  ctx.store.putChallenge(record);
  return {
    ChallengeName: "PASSWORD_VERIFIER",
    ChallengeParameters: {
      SALT: salt,
      SRP_B: B,
      SECRET_BLOCK: secretBlock,
      USERNAME: userIdForSrp,
      USER_ID_FOR_SRP: userIdForSrp,
    },
  };
}

function required(responses: Record<string, string>, name: string): string {
  const value = responses[name];
  if (value === undefined || value === "") throw errors.missingParameter(name);
  return value;
}

/** The names a PASSWORD_VERIFIER answer's USERNAME may give for the user. */
function namesOf(user: StoredUser): Set<string> {
  return new Set(
    [user.username, user.sub, attr(user, "email"), attr(user, "phone_number"), attr(user, "preferred_username")]
      .filter((n): n is string => n !== undefined)
      .map((n) => n.toLowerCase()),
  );
}

/**
 * What follows a PASSWORD_VERIFIER answer that proved the password of an exchange opened by
 * CUSTOM_AUTH (its `carry` has `flow: CUSTOM_AUTH`): given the user and the exchange's record.
 */
export type CustomAfterPassword = (
  a: ChallengeAnswer,
  user: StoredUser,
  exchange: StoredChallenge,
) => Promise<ChallengeResult>;

/**
 * PASSWORD_VERIFIER: checks PASSWORD_CLAIM_SIGNATURE over the secret block and TIMESTAMP. The
 * exchange is single use whatever the outcome. Any failure of the proof (signature, stale
 * timestamp, a password changed since the challenge) is `Incorrect username or password.` and
 * counts towards the lockout exactly as a wrong PASSWORD does. A TIMESTAMP may be within five
 * minutes of the emulator's clock or of the wall clock: tests move the former, clients sign with
 * the latter. A proof for an exchange CUSTOM_AUTH opened goes on with `custom`; any other with
 * what follows a correct password.
 */
export async function passwordVerifier(a: ChallengeAnswer, custom: CustomAfterPassword): Promise<ChallengeResult> {
  const { ctx, pool, client, responses } = a;
  const typed = required(responses, "USERNAME");
  const secretBlock = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
  const signature = required(responses, "PASSWORD_CLAIM_SIGNATURE");
  const timestamp = required(responses, "TIMESTAMP");
  if (!parseTimestamp(timestamp)) throw errors.invalidSrpTimestamp();

  const key = exchangeKey(secretBlock);
  const record = ctx.store.getChallenge(key);
  if (
    !record ||
    record.poolId !== pool.id ||
    record.clientId !== client.client.ClientId ||
    record.challenge !== "PASSWORD_VERIFIER"
  ) {
    throw errors.incorrectCredentials();
  }
  checkSecretHash(client, responses.SECRET_HASH, [typed, record.username, record.data.userIdForSrp]);
  // A DEVICE_KEY naming no device of the user is refused before the exchange is used up: Amplify
  // and amazon-cognito-identity-js then drop their stored device and answer the same challenge
  // again without it (docs/decisions/0019-remembered-devices.md).
  const named = record.data.simulated === "true" ? undefined : ctx.store.getUser(pool.id, record.username);
  const device = named ? deviceForSignIn(pool, named, responses.DEVICE_KEY) : undefined;
  ctx.store.deleteChallenge(key);
  if (ctx.clock.now() > record.expiresAt) throw errors.sessionExpired();
  if (record.data.simulated === "true") throw errors.incorrectCredentials();
  const found = ctx.store.getUser(pool.id, record.username);
  if (!found) throw hidesUsers(client) ? errors.incorrectCredentials() : errors.userNotFound();
  if (!namesOf(found).has(typed.toLowerCase())) throw errors.incorrectCredentials();

  const fresh = isTimestampFresh(timestamp, ctx.clock.now()) || isTimestampFresh(timestamp, Date.now());
  const user = await verifySignIn(ctx, pool, found, (_current, password) => {
    if (!fresh || password.srp?.verifier !== record.data.verifier) return false;
    return verifyClaim({
      poolId: pool.id,
      userIdForSrp: record.data.userIdForSrp!,
      A: record.data.A!,
      B: record.data.B!,
      b: record.data.b!,
      verifier: record.data.verifier!,
      secretBlock,
      timestamp,
      signature,
    });
  });
  if (record.data.flow === "CUSTOM_AUTH") return custom(a, user, record);
  return afterPassword(ctx, pool, client, user, { clientMetadata: a.clientMetadata }, device);
}
