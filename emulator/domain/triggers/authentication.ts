// The pre authentication and post authentication triggers. Pre authentication runs when a sign-in
// starts (InitiateAuth, AdminInitiateAuth, the managed login page), before the password is
// checked, and its failure ends the sign-in; post authentication runs once every proof is given
// (password, MFA), before any token is minted, and its failure leaves the user without tokens.
// docs/triggers.md ("Sign-in"), docs/decisions/0017-lambda-triggers.md.
import type { Services } from "../../context.js";
import type { StoredClient, StoredPool, StoredUser } from "../../store/types.js";
import { hidesUsers } from "../auth.js";
import { findUser } from "../users/lookup.js";
import { runTrigger, type TriggerContext } from "./run.js";

/**
 * `request.userAttributes` of the sign-in triggers: the user's attributes with
 * `cognito:user_status` after `sub`, as Cognito's sign-in events list them.
 */
export function userAttributesOf(user: StoredUser): Record<string, string> {
  // Built in one pass (rather than an attribute map destructured and spread again): this is on
  // every sign-in of a pool with a sign-in trigger (bench/trigger-overhead.ts).
  const out: Record<string, string> = {};
  for (const a of user.attributes) if (a.Name === "sub") out.sub = a.Value ?? "";
  out["cognito:user_status"] = user.status;
  for (const a of user.attributes) if (a.Name !== undefined && a.Name !== "sub") out[a.Name] = a.Value ?? "";
  return out;
}

/**
 * PreAuthentication_Authentication for the name a sign-in typed. An unknown name runs it only
 * when the client hides users (PreventUserExistenceErrors ENABLED): then `userNotFound` is true
 * and there are no attributes; otherwise the sign-in's own "User does not exist." follows, and
 * the function is not run. `validationData` is the request's ClientMetadata. Throws the trigger's
 * errors (the sign-in ends there); its answer changes nothing.
 */
export async function preAuthentication(
  ctx: TriggerContext & Pick<Services, "store">,
  pool: StoredPool,
  client: StoredClient,
  typed: string,
  clientMetadata: Readonly<Record<string, string>> | undefined,
): Promise<void> {
  if (!pool.pool.LambdaConfig?.PreAuthentication) return;
  const user = findUser(ctx, pool, typed);
  const hiding = hidesUsers(client);
  if (!user && !hiding) return;
  await runTrigger(ctx, pool, {
    name: "PreAuthentication",
    triggerSource: "PreAuthentication_Authentication",
    userName: user?.username ?? typed,
    clientId: client.client.ClientId,
    request: {
      userAttributes: user ? userAttributesOf(user) : {},
      validationData: { ...clientMetadata },
      ...(hiding ? { userNotFound: !user } : {}),
    },
    response: {},
  });
}

/**
 * PostAuthentication_Authentication, once the user has given every proof and before tokens are
 * minted. `clientMetadata` is the challenge answer's (Cognito passes none from InitiateAuth).
 * `newDeviceUsed` is true for a sign-in on a new device in a pool that tracks devices (it is handed
 * NewDeviceMetadata; domain/devices.ts), false otherwise. Throws the trigger's errors.
 */
export async function postAuthentication(
  ctx: TriggerContext,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  clientMetadata: Readonly<Record<string, string>> | undefined,
  newDeviceUsed = false,
): Promise<void> {
  if (!pool.pool.LambdaConfig?.PostAuthentication) return;
  await runTrigger(ctx, pool, {
    name: "PostAuthentication",
    triggerSource: "PostAuthentication_Authentication",
    userName: user.username,
    clientId: client.client.ClientId,
    request: {
      userAttributes: userAttributesOf(user),
      newDeviceUsed,
      ...(clientMetadata ? { clientMetadata: { ...clientMetadata } } : {}),
    },
    response: {},
  });
}
