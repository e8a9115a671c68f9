import type {
  ResendConfirmationCodeRequest,
  ResendConfirmationCodeResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { checkSecretHash, hidesUsers } from "../domain/auth.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { deliveryFor, issueCode, MessageDrafts } from "../domain/users/codes.js";
import { findUser } from "../domain/users/lookup.js";
import { simulatedDelivery } from "../domain/users/recovery.js";
import { countRequest } from "../domain/users/request-limits.js";
import { unchanged, updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "ResendConfirmationCode",
  ["store", "clock", "locks", "inbox", "triggers"],
  async (input: ResendConfirmationCodeRequest, ctx): Promise<Wire<ResendConfirmationCodeResponse>> => {
    const client = requireClient(ctx, input.ClientId!);
    const pool = requirePool(ctx, client.poolId);
    const typed = input.Username!;
    const found = findUser(ctx, pool, typed);
    checkSecretHash(client, input.SecretHash, [typed, found?.username]);
    // Sign-up codes only exist for auto-verified attributes; without one there is nothing to resend.
    const auto = (pool.pool.AutoVerifiedAttributes ?? []) as string[];
    if (auto.length === 0) throw errors.autoVerificationOff();
    if (!found) {
      if (hidesUsers(client)) return { CodeDeliveryDetails: simulatedDelivery(pool, typed, "signUp") };
      throw errors.userNotFound();
    }
    // The code's message is composed before the user's lock is taken (MessageDrafts).
    const drafts = new MessageDrafts();
    return updateUser(
      ctx,
      pool,
      found,
      async (user) => {
        if (user.status !== "UNCONFIRMED") throw errors.alreadyConfirmed();
        countRequest(ctx, user, "resendConfirmationCode");
        const delivery =
          (auto.includes("email") ? deliveryFor(pool, user, "email") : undefined) ??
          (auto.includes("phone_number") ? deliveryFor(pool, user, "phone_number") : undefined);
        if (!delivery) throw errors.autoVerificationOff();
        // A fresh code replaces the previous one, which stops working.
        return {
          CodeDeliveryDetails: await issueCode(ctx, pool, user, "signUp", "ResendCode", delivery, {
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
            ? unchanged({ CodeDeliveryDetails: simulatedDelivery(pool, typed, "signUp") })
            : errors.userNotFound(),
      },
    );
  },
);
