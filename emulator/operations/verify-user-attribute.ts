import type {
  VerifyUserAttributeRequest,
  VerifyUserAttributeResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { VERIFIABLE } from "../domain/users/codes.js";
import { consumeCode } from "../domain/users/codes.js";
import { currentUser } from "../domain/users/lookup.js";
import { cloneUser, withAttributes } from "../domain/users/records.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "VerifyUserAttribute",
  async (input: VerifyUserAttributeRequest, ctx): Promise<VerifyUserAttributeResponse> => {
    const { pool, user: found } = await verifyAccessToken(ctx, input.AccessToken!);
    const name = input.AttributeName!;
    if (!VERIFIABLE[name]) throw errors.invalidParameter(`Verification is not supported for attribute ${name}.`);
    return ctx.locks.run(`${pool.id}/${found.sub}`, () => {
      const user = cloneUser(currentUser(ctx, pool.id, found.sub));
      try {
        consumeCode(ctx, user, `verify:${name}`, input.Code!);
      } finally {
        // Failed attempts count towards the limit, so the user is stored either way.
        ctx.store.putUser(user);
      }
      user.attributes = withAttributes(user.attributes, { [`${name}_verified`]: "true" });
      user.updatedAt = ctx.clock.now();
      ctx.store.putUser(user);
      return {};
    });
  },
);
