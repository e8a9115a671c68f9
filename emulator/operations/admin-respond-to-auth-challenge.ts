import type {
  AdminRespondToAuthChallengeRequest,
  AdminRespondToAuthChallengeResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { respondToChallenge } from "../domain/challenges/index.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminRespondToAuthChallenge",
  ["store", "clock", "locks", "inbox", "keys", "config", "triggers"],
  (input: AdminRespondToAuthChallengeRequest, ctx): Promise<Wire<AdminRespondToAuthChallengeResponse>> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const client = requireClient(ctx, input.ClientId!, pool.id);
    return respondToChallenge(input.ChallengeName!, {
      ctx,
      pool,
      client,
      responses: { ...input.ChallengeResponses },
      session: input.Session,
      admin: true,
      clientMetadata: input.ClientMetadata,
    });
  },
);
