import type { ForgotPasswordRequest, ForgotPasswordResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { checkSecretHash, hidesUsers } from "../domain/auth.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { migrateUser } from "../domain/triggers/user-migration.js";
import { issueCode, MessageDrafts } from "../domain/users/codes.js";
import { findUser } from "../domain/users/lookup.js";
import {
  checkResettable,
  checkSelfServiceRecovery,
  recoveryDelivery,
  simulatedDelivery,
} from "../domain/users/recovery.js";
import { countRequest } from "../domain/users/request-limits.js";
import { unchanged, updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "ForgotPassword",
  ["store", "clock", "locks", "inbox", "triggers", "config"],
  async (input: ForgotPasswordRequest, ctx): Promise<Wire<ForgotPasswordResponse>> => {
    const client = requireClient(ctx, input.ClientId!);
    const pool = requirePool(ctx, client.poolId);
    const typed = input.Username!;
    const known = findUser(ctx, pool, typed);
    checkSecretHash(client, input.SecretHash, [typed, known?.username]);
    // An admin_only pool refuses every self-service reset, for known and unknown names alike.
    checkSelfServiceRecovery(pool);
    // A name the pool does not know goes to the user migration trigger, which may create the
    // user (RESET_REQUIRED, no password) for the code to reach.
    const migrated = known
      ? undefined
      : await migrateUser(ctx, pool, client, {
          source: "UserMigration_ForgotPassword",
          typed,
          clientMetadata: input.ClientMetadata,
        });
    const found = known ?? migrated?.user;
    if (!found) {
      if (hidesUsers(client)) return { CodeDeliveryDetails: simulatedDelivery(pool, typed, "recovery") };
      throw errors.usernameClientNotFound();
    }
    // The code's message is composed before the user's lock is taken (MessageDrafts).
    const drafts = new MessageDrafts();
    const sending = updateUser(
      ctx,
      pool,
      found,
      async (user) => {
        // At most so many ForgotPassword and ConfirmForgotPassword requests per hour (request-limits.ts).
        countRequest(ctx, user, "forgotPassword");
        checkResettable(user);
        const delivery = recoveryDelivery(pool, user);
        if (!delivery) throw errors.noRecoveryDestination();
        // A new request replaces any earlier code (and its count of wrong attempts).
        return {
          CodeDeliveryDetails: await issueCode(ctx, pool, user, "forgotPassword", "ForgotPassword", delivery, {
            clientId: client.client.ClientId,
            clientMetadata: input.ClientMetadata,
            drafts,
          }),
        };
      },
      {
        // A code sent is not a modification Cognito shows; a user deleted meanwhile is one not found.
        touch: false,
        draftMessages: drafts,
        gone: () =>
          hidesUsers(client)
            ? unchanged({ CodeDeliveryDetails: simulatedDelivery(pool, typed, "recovery") })
            : errors.usernameClientNotFound(),
      },
    );
    if (!migrated) return sending;
    try {
      return await sending;
    } catch (e) {
      // A user the trigger just created for this reset goes again when its code cannot be sent
      // (the custom message trigger failed, no destination): nothing half-created stays behind.
      const created = ctx.store.getUserBySub(pool.id, migrated.user.sub);
      if (created) ctx.store.deleteUser(created);
      throw e;
    }
  },
);
