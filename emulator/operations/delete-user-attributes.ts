import type {
  DeleteUserAttributesRequest,
  DeleteUserAttributesResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { updateUserAttributes } from "../domain/users/attributes.js";
import { updateUser } from "../domain/users/update.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// Deleting is updating to a blank value: the same write and schema rules apply.
export default defineOperation(
  "DeleteUserAttributes",
  ["store", "clock", "locks", "inbox", "keys", "triggers"],
  async (input: DeleteUserAttributesRequest, ctx): Promise<DeleteUserAttributesResponse> => {
    const { pool, client, user: found } = await verifyAccessToken(ctx, input.AccessToken!);
    const blanks = (input.UserAttributeNames ?? []).map((Name) => ({ Name, Value: "" }));
    await updateUser(ctx, pool, found, async (user) => {
      await updateUserAttributes(ctx, pool, client, user, blanks, { admin: false });
    });
    return {};
  },
);
