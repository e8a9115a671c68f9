import type {
  RespondToAuthChallengeRequest,
  RespondToAuthChallengeResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { respondToChallenge } from "../domain/challenges/index.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "RespondToAuthChallenge",
  ["store", "clock", "locks", "inbox", "keys", "config", "triggers"],
  (input: RespondToAuthChallengeRequest, ctx): Promise<Wire<RespondToAuthChallengeResponse>> => {
    const client = requireClient(ctx, input.ClientId!);
    const pool = requirePool(ctx, client.poolId);
    return respondToChallenge(input.ChallengeName!, {
      ctx,
      pool,
      client,
      responses: { ...input.ChallengeResponses },
      session: input.Session,
      admin: false,
      clientMetadata: input.ClientMetadata,
    });
  },
);
