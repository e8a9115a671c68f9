import type {
  GetUserAttributeVerificationCodeRequest,
  GetUserAttributeVerificationCodeResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { sendVerificationCode } from "../domain/users/codes.js";
import { currentUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "GetUserAttributeVerificationCode",
  async (
    input: GetUserAttributeVerificationCodeRequest,
    ctx,
  ): Promise<Wire<GetUserAttributeVerificationCodeResponse>> => {
    const { pool, user: found } = await verifyAccessToken(ctx, input.AccessToken!);
    return ctx.locks.run(`${pool.id}/${found.sub}`, () => {
      const user = cloneUser(currentUser(ctx, pool.id, found.sub));
      const details = sendVerificationCode(ctx, pool, user, input.AttributeName!);
      ctx.store.putUser(user);
      return { CodeDeliveryDetails: details };
    });
  },
);
