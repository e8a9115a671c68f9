import type { DeleteUserRequest } from "@aws-sdk/client-cognito-identity-provider";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// Deleting the user deletes their sessions with them (Store.deleteUser), so every token they
// held stops working.
export default defineOperation("DeleteUser", async (input: DeleteUserRequest, ctx): Promise<Record<string, never>> => {
  const { pool, user } = await verifyAccessToken(ctx, input.AccessToken!);
  await ctx.locks.run(`${pool.id}/${user.sub}`, () => {
    const current = ctx.store.getUserBySub(pool.id, user.sub);
    if (current) ctx.store.deleteUser(current);
  });
  return {};
});
