import type {
  ResendConfirmationCodeRequest,
  ResendConfirmationCodeResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { checkSecretHash, hidesUsers } from "../domain/auth.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { deliveryFor, issueCode } from "../domain/users/codes.js";
import { findUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { simulatedDelivery } from "../domain/users/recovery.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "ResendConfirmationCode",
  (input: ResendConfirmationCodeRequest, ctx): Wire<ResendConfirmationCodeResponse> => {
    const client = requireClient(ctx, input.ClientId!);
    const pool = requirePool(ctx, client.poolId);
    const typed = input.Username!;
    const found = findUser(ctx, pool, typed);
    checkSecretHash(client, input.SecretHash, [typed, found?.username]);
    // Sign-up codes only exist for auto-verified attributes; without one there is nothing to resend.
    const auto = (pool.pool.AutoVerifiedAttributes ?? []) as string[];
    if (auto.length === 0) throw errors.invalidParameter("Cannot resend codes. Auto verification not turned on.");
    if (!found) {
      if (hidesUsers(client)) return { CodeDeliveryDetails: simulatedDelivery(pool, typed, "signUp") };
      throw errors.userNotFound();
    }
    if (found.status !== "UNCONFIRMED") throw errors.invalidParameter("User is already confirmed.");
    const user = cloneUser(found);
    const delivery =
      (auto.includes("email") ? deliveryFor(pool, user, "email") : undefined) ??
      (auto.includes("phone_number") ? deliveryFor(pool, user, "phone_number") : undefined);
    if (!delivery) throw errors.invalidParameter("Cannot resend codes. Auto verification not turned on.");
    // A fresh code replaces the previous one, which stops working.
    const details = issueCode(ctx, pool, user, "signUp", "ResendCode", delivery);
    ctx.store.putUser(user);
    return { CodeDeliveryDetails: details };
  },
);
