import type {
  AdminDeleteUserAttributesRequest,
  AdminDeleteUserAttributesResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { checkDeletableAttributes, removeAttributes } from "../domain/users/attributes.js";
import { requireUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminDeleteUserAttributes",
  (input: AdminDeleteUserAttributesRequest, ctx): AdminDeleteUserAttributesResponse => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    const names = input.UserAttributeNames ?? [];
    checkDeletableAttributes(pool, names, { admin: true });
    const user = cloneUser(found);
    removeAttributes(user, names);
    user.updatedAt = ctx.clock.now();
    ctx.store.putUser(user);
    return {};
  },
);
