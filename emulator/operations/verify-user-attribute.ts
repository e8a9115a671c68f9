import type {
  VerifyUserAttributeRequest,
  VerifyUserAttributeResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { markAttributeVerified } from "../domain/users/attributes.js";
import { consumeCode, VERIFIABLE } from "../domain/users/codes.js";
import { countRequest } from "../domain/users/request-limits.js";
import { updateUser } from "../domain/users/update.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "VerifyUserAttribute",
  ["store", "clock", "locks", "keys"],
  async (input: VerifyUserAttributeRequest, ctx): Promise<VerifyUserAttributeResponse> => {
    const { pool, user: found } = await verifyAccessToken(ctx, input.AccessToken!);
    const name = input.AttributeName!;
    if (!VERIFIABLE[name]) throw errors.verificationNotSupported(name);
    const wrongCode = await updateUser(
      ctx,
      pool,
      found,
      (user) => {
        countRequest(ctx, user, "verifyUserAttribute");
        try {
          consumeCode(ctx, user, `verify:${name}`, input.Code!);
        } catch (e) {
          // Failed attempts count towards the limit: the user is written, then the error thrown.
          return e;
        }
        // A value waiting for verification (AttributesRequireVerificationBeforeUpdate) takes effect now.
        markAttributeVerified(ctx, pool, user, name);
        user.updatedAt = ctx.clock.now();
        return undefined;
      },
      { touch: false },
    );
    if (wrongCode !== undefined) throw wrongCode;
    return {};
  },
);
