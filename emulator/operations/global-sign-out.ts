import type { GlobalSignOutRequest, GlobalSignOutResponse } from "@aws-sdk/client-cognito-identity-provider";
import { revokeAllSessions } from "../domain/sessions.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "GlobalSignOut",
  ["store", "clock", "keys"],
  async (input: GlobalSignOutRequest, ctx): Promise<GlobalSignOutResponse> => {
    const { pool, user } = await verifyAccessToken(ctx, input.AccessToken!);
    revokeAllSessions(ctx, pool.id, user.sub);
    return {};
  },
);
