import type {
  DeleteUserAttributesRequest,
  DeleteUserAttributesResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { updateUserAttributes } from "../domain/users/attributes.js";
import { currentUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// Deleting is updating to a blank value: the same write and schema rules apply.
export default defineOperation(
  "DeleteUserAttributes",
  async (input: DeleteUserAttributesRequest, ctx): Promise<DeleteUserAttributesResponse> => {
    const { pool, client, user: found } = await verifyAccessToken(ctx, input.AccessToken!);
    return ctx.locks.run(`${pool.id}/${found.sub}`, () => {
      const user = cloneUser(currentUser(ctx, pool.id, found.sub));
      updateUserAttributes(
        ctx,
        pool,
        client,
        user,
        (input.UserAttributeNames ?? []).map((Name) => ({ Name, Value: "" })),
        { admin: false },
      );
      ctx.store.putUser(user);
      return {};
    });
  },
);
