import type {
  AdminUpdateUserAttributesRequest,
  AdminUpdateUserAttributesResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { applyAttributeUpdate, checkWritableAttributes } from "../domain/users/attributes.js";
import { MessageDrafts } from "../domain/users/codes.js";
import { requireUser } from "../domain/users/lookup.js";
import { updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminUpdateUserAttributes",
  ["store", "clock", "locks", "inbox", "triggers"],
  async (input: AdminUpdateUserAttributesRequest, ctx): Promise<AdminUpdateUserAttributesResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    const attributes = input.UserAttributes ?? [];
    checkWritableAttributes(pool, attributes, { creating: false, admin: true });
    // A new auto-verified value's code message is composed before the user's lock is taken.
    const drafts = new MessageDrafts();
    await updateUser(
      ctx,
      pool,
      found,
      (user) => applyAttributeUpdate(ctx, pool, user, attributes, { clientMetadata: input.ClientMetadata, drafts }),
      { draftMessages: drafts },
    );
    return {};
  },
);
