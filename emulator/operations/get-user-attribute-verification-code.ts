import type {
  GetUserAttributeVerificationCodeRequest,
  GetUserAttributeVerificationCodeResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { MessageDrafts, sendVerificationCode } from "../domain/users/codes.js";
import { countRequest } from "../domain/users/request-limits.js";
import { updateUser } from "../domain/users/update.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "GetUserAttributeVerificationCode",
  ["store", "clock", "locks", "inbox", "keys", "triggers"],
  async (
    input: GetUserAttributeVerificationCodeRequest,
    ctx,
  ): Promise<Wire<GetUserAttributeVerificationCodeResponse>> => {
    const { pool, client, user: found } = await verifyAccessToken(ctx, input.AccessToken!);
    // The code's message is composed before the user's lock is taken (MessageDrafts).
    const drafts = new MessageDrafts();
    return updateUser(
      ctx,
      pool,
      found,
      async (user) => {
        countRequest(ctx, user, "getUserAttributeVerificationCode");
        return {
          CodeDeliveryDetails: await sendVerificationCode(ctx, pool, user, input.AttributeName!, {
            clientId: client?.client.ClientId,
            clientMetadata: input.ClientMetadata,
            drafts,
          }),
        };
      },
      // A code sent is not a modification Cognito shows.
      { touch: false, draftMessages: drafts },
    );
  },
);
