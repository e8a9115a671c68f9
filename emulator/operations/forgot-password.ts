import type { ForgotPasswordRequest, ForgotPasswordResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { checkSecretHash, hidesUsers } from "../domain/auth.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { issueCode } from "../domain/users/codes.js";
import { findUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import {
  checkResettable,
  noRecoveryDestination,
  recoveryDelivery,
  simulatedDelivery,
} from "../domain/users/recovery.js";
import { defineOperation } from "./types.js";

export default defineOperation("ForgotPassword", (input: ForgotPasswordRequest, ctx): Wire<ForgotPasswordResponse> => {
  const client = requireClient(ctx, input.ClientId!);
  const pool = requirePool(ctx, client.poolId);
  const typed = input.Username!;
  const found = findUser(ctx, pool, typed);
  checkSecretHash(client, input.SecretHash, [typed, found?.username]);
  if (!found) {
    if (hidesUsers(client)) return { CodeDeliveryDetails: simulatedDelivery(pool, typed, "recovery") };
    throw errors.userNotFound();
  }
  checkResettable(found);
  const delivery = recoveryDelivery(pool, found);
  if (!delivery) throw noRecoveryDestination();
  const user = cloneUser(found);
  // A new request replaces any earlier code (and its count of wrong attempts).
  const details = issueCode(ctx, pool, user, "forgotPassword", "ForgotPassword", delivery);
  ctx.store.putUser(user);
  return { CodeDeliveryDetails: details };
});
