import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { checkSecretHash, hidesUsers } from "../domain/auth.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { postConfirmation } from "../domain/triggers/post-confirmation.js";
import { confirmedSignUpSession } from "../domain/user-auth.js";
import { consumeCode } from "../domain/users/codes.js";
import { findUser } from "../domain/users/lookup.js";
import { withAttributes } from "../domain/users/records.js";
import { countRequest } from "../domain/users/request-limits.js";
import { updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "ConfirmSignUp",
  ["store", "clock", "locks", "triggers"],
  async (input: ConfirmSignUpRequest, ctx): Promise<ConfirmSignUpResponse> => {
    const client = requireClient(ctx, input.ClientId!);
    const pool = requirePool(ctx, client.poolId);
    const found = findUser(ctx, pool, input.Username!);
    checkSecretHash(client, input.SecretHash, [input.Username, found?.username]);
    if (!found) throw hidesUsers(client) ? errors.codeMismatch() : errors.userNotFound();
    const wrongCode = await updateUser(
      ctx,
      pool,
      found,
      (user) => {
        if (user.status !== "UNCONFIRMED") {
          if (input.ForceAliasCreation === undefined && user.status === "CONFIRMED") {
            throw errors.cannotConfirm(user.status);
          }
          throw errors.cannotConfirm(user.status);
        }
        countRequest(ctx, user, "confirmSignUp");
        try {
          consumeCode(ctx, user, "signUp", input.ConfirmationCode!);
        } catch (e) {
          // A wrong code counts towards the attempt limit: the count is written, then the error thrown.
          return e;
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
        return undefined;
      },
      { touch: false },
    );
    if (wrongCode !== undefined) throw wrongCode;
    // After the write, with the user's lock released (the function may call the API about this
    // user). When it fails the user stays confirmed and the call answers its error, as Cognito does.
    const confirmed = ctx.store.getUserBySub(pool.id, found.sub);
    if (confirmed)
      await postConfirmation(ctx, pool, confirmed, {
        source: "PostConfirmation_ConfirmSignUp",
        clientId: client.client.ClientId,
        clientMetadata: input.ClientMetadata,
      });
    // For a client that allows USER_AUTH, the session that signs the user in (domain/user-auth.ts).
    const session = confirmed ? confirmedSignUpSession(ctx, pool, client, confirmed, input.Session) : undefined;
    return session ? { Session: session } : {};
  },
);
