import type {
  AdminUpdateUserAttributesRequest,
  AdminUpdateUserAttributesResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { applyAttributeUpdate, checkWritableAttributes } from "../domain/users/attributes.js";
import { requireUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminUpdateUserAttributes",
  (input: AdminUpdateUserAttributesRequest, ctx): AdminUpdateUserAttributesResponse => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    const attributes = input.UserAttributes ?? [];
    checkWritableAttributes(pool, attributes, { creating: false, admin: true });
    const user = cloneUser(found);
    applyAttributeUpdate(ctx, pool, user, attributes);
    ctx.store.putUser(user);
    return {};
  },
);
