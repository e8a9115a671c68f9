import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { checkSecretHash, hidesUsers } from "../domain/auth.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { consumeCode } from "../domain/users/codes.js";
import { currentUser, findUser } from "../domain/users/lookup.js";
import { cloneUser, withAttributes } from "../domain/users/records.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "ConfirmSignUp",
  async (input: ConfirmSignUpRequest, ctx): Promise<ConfirmSignUpResponse> => {
    const client = requireClient(ctx, input.ClientId!);
    const pool = requirePool(ctx, client.poolId);
    const found = findUser(ctx, pool, input.Username!);
    checkSecretHash(client, input.SecretHash, [input.Username, found?.username]);
    if (!found) throw hidesUsers(client) ? errors.codeMismatch() : errors.userNotFound();
    return ctx.locks.run(`${pool.id}/${found.sub}`, () => {
      const user = cloneUser(currentUser(ctx, pool.id, found.sub));
      if (user.status !== "UNCONFIRMED") {
        if (input.ForceAliasCreation === undefined && user.status === "CONFIRMED") {
          throw errors.notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
        }
        throw errors.notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
      }
      try {
        consumeCode(ctx, user, "signUp", input.ConfirmationCode!);
      } finally {
        ctx.store.putUser(user);
      }
      user.status = "CONFIRMED";
      user.updatedAt = ctx.clock.now();
      // The code went to the auto-verified attribute, so confirming proves it.
      const auto = (pool.pool.AutoVerifiedAttributes ?? []) as string[];
      const verified: Record<string, string> = {};
      if (auto.includes("email") && user.attributes.some((a) => a.Name === "email")) verified.email_verified = "true";
      else if (auto.includes("phone_number") && user.attributes.some((a) => a.Name === "phone_number"))
        verified.phone_number_verified = "true";
      user.attributes = withAttributes(user.attributes, verified);
      ctx.store.putUser(user);
      return {};
    });
  },
);
