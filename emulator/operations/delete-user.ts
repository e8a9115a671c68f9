import type { DeleteUserRequest } from "@aws-sdk/client-cognito-identity-provider";
import { lockUser } from "../domain/users/update.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// Deleting the user deletes their sessions with them (Store.deleteUser), so every token they
// held stops working.
export default defineOperation(
  "DeleteUser",
  ["store", "clock", "locks", "keys"],
  async (input: DeleteUserRequest, ctx): Promise<Record<string, never>> => {
    const { pool, user } = await verifyAccessToken(ctx, input.AccessToken!);
    // After any request about the user that is under way.
    await lockUser(ctx, pool, user.sub, () => {
      const current = ctx.store.getUserBySub(pool.id, user.sub);
      if (current) ctx.store.deleteUser(current);
    });
    return {};
  },
);
