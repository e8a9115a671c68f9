// Signing in on the managed login pages with the same rules as the API's password sign-in:
// the same password check (lockout, disabled, unconfirmed, temporary passwords), then the same
// challenges (NEW_PASSWORD_REQUIRED, the MFA factors, MFA_SETUP), answered through the same
// handlers as RespondToAuthChallenge. What differs is the end: a managed login session and an
// authorization code instead of the API's tokens (docs/hosted-ui.md).
import type { OperationContext } from "../../context.js";
import type { StoredClient, StoredPool, StoredUser } from "../../store/types.js";
import { checkPasswordSignIn, newPasswordChallengeParameters, openChallenge } from "../auth.js";
import { mfaChallenge } from "../mfa.js";
import { postAuthentication, preAuthentication } from "../triggers/authentication.js";

/** Where a sign-in stands: done, or a challenge the user must answer on the next page. */
export type SignInStep =
  | { kind: "signedIn"; user: StoredUser }
  | {
      kind: "challenge";
      name: string;
      /** The challenge's Session, as RespondToAuthChallenge takes it. */
      session: string;
      parameters: Record<string, string>;
      username: string;
    };

/**
 * What follows a proved password (or a confirmed sign-up): the challenge the API would answer
 * (the same as afterPassword's), or signed in, once the post authentication trigger has run.
 * Nothing is minted: the code comes later, and the token endpoint runs the token trigger.
 */
export async function afterAuthentication(
  ctx: OperationContext,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
): Promise<SignInStep> {
  if (user.status === "FORCE_CHANGE_PASSWORD") {
    const ch = openChallenge(ctx, pool, client, user, "NEW_PASSWORD_REQUIRED");
    return {
      kind: "challenge",
      name: "NEW_PASSWORD_REQUIRED",
      session: ch.session,
      parameters: newPasswordChallengeParameters(pool, user),
      username: user.username,
    };
  }
  const mfa = await mfaChallenge(ctx, pool, client, user);
  if (mfa?.ChallengeName && mfa.Session)
    return {
      kind: "challenge",
      name: mfa.ChallengeName,
      session: mfa.Session,
      parameters: { ...mfa.ChallengeParameters },
      username: user.username,
    };
  await postAuthentication(ctx, pool, client, user, undefined);
  return { kind: "signedIn", user };
}

/**
 * A username and password typed on the login page; throws the API's CognitoErrors. The pre
 * authentication trigger runs first, as for the API's password sign-in (no validation data).
 */
export async function passwordStep(
  ctx: OperationContext,
  pool: StoredPool,
  client: StoredClient,
  typed: string,
  password: string,
): Promise<SignInStep> {
  await preAuthentication(ctx, pool, client, typed, undefined);
  const user = await checkPasswordSignIn(ctx, pool, client, typed, password);
  return afterAuthentication(ctx, pool, client, user);
}

/**
 * The user a challenge answer signed in. The challenge handlers end by minting the API's tokens
 * and opening an API session; the pages hand out a code instead, so that session (never seen by
 * anyone) is dropped again. Undefined when the tokens name nobody in the pool.
 */
export function userOfChallengeTokens(
  ctx: Pick<OperationContext, "store">,
  pool: Pick<StoredPool, "id">,
  accessToken: string,
): StoredUser | undefined {
  let claims: { sub?: unknown; origin_jti?: unknown };
  try {
    claims = JSON.parse(Buffer.from(accessToken.split(".")[1] ?? "", "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof claims.origin_jti === "string") ctx.store.deleteSession(claims.origin_jti);
  return typeof claims.sub === "string" ? ctx.store.getUserBySub(pool.id, claims.sub) : undefined;
}
