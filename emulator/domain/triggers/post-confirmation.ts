// The post confirmation trigger: run after a user is confirmed (ConfirmSignUp, AdminConfirmSignUp,
// a sign-up that pre sign-up auto-confirmed) or has reset their password (ConfirmForgotPassword).
// The change is stored before the function runs and stays when it fails: the call then answers
// the function's error (docs/decisions/0017-lambda-triggers.md, "Sign-up and confirmation").
import type { StoredPool, StoredUser } from "../../store/types.js";
import { attributeMap, runTrigger, type TriggerContext } from "./run.js";

/** Why the user was confirmed: the event's trigger source. */
export type PostConfirmationSource = "PostConfirmation_ConfirmSignUp" | "PostConfirmation_ConfirmForgotPassword";

/**
 * Runs the pool's post confirmation trigger, if it has one, for `user` as stored after the
 * change. Call it once the change is written and no lock is held: the function may call the
 * API about the same user (AdminAddUserToGroup is the classic). Throws the trigger's errors
 * (runTrigger); the function's response has no members to apply.
 */
export async function postConfirmation(
  ctx: TriggerContext,
  pool: StoredPool,
  user: StoredUser,
  call: {
    readonly source: PostConfirmationSource;
    /** The app client of the call; undefined for AdminConfirmSignUp (`CLIENT_ID_NOT_APPLICABLE`). */
    readonly clientId: string | undefined;
    /** The request's ClientMetadata, passed as sent; left out of the event when the request had none. */
    readonly clientMetadata?: Readonly<Record<string, string>> | undefined;
  },
): Promise<void> {
  await runTrigger(ctx, pool, {
    name: "PostConfirmation",
    triggerSource: call.source,
    userName: user.username,
    clientId: call.clientId,
    request: {
      userAttributes: confirmedUserAttributes(pool, user),
      ...(call.clientMetadata ? { clientMetadata: { ...call.clientMetadata } } : {}),
    },
    response: {},
  });
}

/**
 * The user's attributes as Cognito's post confirmation events list them: `sub`, then
 * `cognito:user_status`, then the rest, with `cognito:email_alias` / `cognito:phone_number_alias`
 * for a verified email or phone number the pool accepts as an alias.
 */
function confirmedUserAttributes(pool: StoredPool, user: StoredUser): Record<string, string> {
  const { sub, ...rest } = attributeMap(user.attributes);
  const map: Record<string, string> = { sub: sub ?? user.sub, "cognito:user_status": user.status, ...rest };
  const aliases = (pool.pool.AliasAttributes ?? []) as string[];
  for (const name of ["email", "phone_number"] as const) {
    const value = map[name];
    if (aliases.includes(name) && value && map[`${name}_verified`] === "true") map[`cognito:${name}_alias`] = value;
  }
  return map;
}
