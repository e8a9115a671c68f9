import type {
  AdminDeleteUserAttributesRequest,
  AdminDeleteUserAttributesResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { checkDeletableAttributes, removeAttributes } from "../domain/users/attributes.js";
import { requireUser } from "../domain/users/lookup.js";
import { updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminDeleteUserAttributes",
  ["store", "clock", "locks"],
  async (input: AdminDeleteUserAttributesRequest, ctx): Promise<AdminDeleteUserAttributesResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    const names = input.UserAttributeNames ?? [];
    checkDeletableAttributes(pool, names, { admin: true });
    await updateUser(ctx, pool, found, (user) => removeAttributes(user, names));
    return {};
  },
);
