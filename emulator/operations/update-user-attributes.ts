import type {
  UpdateUserAttributesRequest,
  UpdateUserAttributesResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { updateUserAttributes } from "../domain/users/attributes.js";
import { currentUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "UpdateUserAttributes",
  async (input: UpdateUserAttributesRequest, ctx): Promise<Wire<UpdateUserAttributesResponse>> => {
    const { pool, client, user: found } = await verifyAccessToken(ctx, input.AccessToken!);
    return ctx.locks.run(`${pool.id}/${found.sub}`, () => {
      const user = cloneUser(currentUser(ctx, pool.id, found.sub));
      const deliveries = updateUserAttributes(ctx, pool, client, user, input.UserAttributes ?? [], { admin: false });
      ctx.store.putUser(user);
      return deliveries.length > 0 ? { CodeDeliveryDetailsList: deliveries } : {};
    });
  },
);
