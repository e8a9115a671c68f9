import type { ForgotPasswordRequest, ForgotPasswordResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { checkSecretHash, hidesUsers } from "../domain/auth.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { issueCode } from "../domain/users/codes.js";
import { findUser } from "../domain/users/lookup.js";
import { checkResettable, recoveryDelivery, simulatedDelivery } from "../domain/users/recovery.js";
import { countRequest } from "../domain/users/request-limits.js";
import { unchanged, updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "ForgotPassword",
  ["store", "clock", "locks", "inbox"],
  async (input: ForgotPasswordRequest, ctx): Promise<Wire<ForgotPasswordResponse>> => {
    const client = requireClient(ctx, input.ClientId!);
    const pool = requirePool(ctx, client.poolId);
    const typed = input.Username!;
    const found = findUser(ctx, pool, typed);
    checkSecretHash(client, input.SecretHash, [typed, found?.username]);
    if (!found) {
      if (hidesUsers(client)) return { CodeDeliveryDetails: simulatedDelivery(pool, typed, "recovery") };
      throw errors.userNotFound();
    }
    return updateUser(
      ctx,
      pool,
      found,
      (user) => {
        // At most so many ForgotPassword and ConfirmForgotPassword requests per hour (request-limits.ts).
        countRequest(ctx, user, "forgotPassword");
        checkResettable(user);
        const delivery = recoveryDelivery(pool, user);
        if (!delivery) throw errors.noRecoveryDestination();
        // A new request replaces any earlier code (and its count of wrong attempts).
        return { CodeDeliveryDetails: issueCode(ctx, pool, user, "forgotPassword", "ForgotPassword", delivery) };
      },
      {
        // A code sent is not a modification Cognito shows; a user deleted meanwhile is one not found.
        touch: false,
        gone: () =>
          hidesUsers(client)
            ? unchanged({ CodeDeliveryDetails: simulatedDelivery(pool, typed, "recovery") })
            : errors.userNotFound(),
      },
    );
  },
);
