import type {
  UpdateUserAttributesRequest,
  UpdateUserAttributesResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { updateUserAttributes } from "../domain/users/attributes.js";
import { MessageDrafts } from "../domain/users/codes.js";
import { updateUser } from "../domain/users/update.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "UpdateUserAttributes",
  ["store", "clock", "locks", "inbox", "keys", "triggers"],
  async (input: UpdateUserAttributesRequest, ctx): Promise<Wire<UpdateUserAttributesResponse>> => {
    const { pool, client, user: found } = await verifyAccessToken(ctx, input.AccessToken!);
    // A new auto-verified value's code message is composed before the user's lock is taken.
    const drafts = new MessageDrafts();
    return updateUser(
      ctx,
      pool,
      found,
      async (user) => {
        const deliveries = await updateUserAttributes(ctx, pool, client, user, input.UserAttributes ?? [], {
          admin: false,
          clientMetadata: input.ClientMetadata,
          drafts,
        });
        return deliveries.length > 0 ? { CodeDeliveryDetailsList: deliveries } : {};
      },
      { draftMessages: drafts },
    );
  },
);
