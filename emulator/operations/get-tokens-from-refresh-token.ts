import type {
  GetTokensFromRefreshTokenRequest,
  GetTokensFromRefreshTokenResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { clientSecretProblem } from "../domain/auth.js";
import { checkRefreshDevice } from "../domain/devices.js";
import { refreshCustomization, resolveRefreshSession, rotatesRefreshTokens } from "../domain/flows.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { lockRefreshSession } from "../domain/sessions.js";
import { refreshSession } from "../tokens/issue.js";
import { defineOperation } from "./types.js";

// Works for every client (no ExplicitAuthFlows entry needed); with RefreshTokenRotation ENABLED
// it is the only way to refresh, and answers a new refresh token each time.
export default defineOperation(
  "GetTokensFromRefreshToken",
  ["store", "clock", "locks", "keys", "config", "triggers"],
  async (input: GetTokensFromRefreshTokenRequest, ctx): Promise<Wire<GetTokensFromRefreshTokenResponse>> => {
    const client = requireClient(ctx, input.ClientId!);
    const pool = requirePool(ctx, client.poolId);
    const token = input.RefreshToken!;
    // Serialised per session: two concurrent refreshes of one rotating session must not both
    // rotate from the same state and lose a retired token.
    return lockRefreshSession(ctx, token, async () => {
      const { session, user } = resolveRefreshSession(ctx, pool, client, token, () => {
        const problem = clientSecretProblem(client, input.ClientSecret);
        const id = client.client.ClientId!;
        if (problem === "missing") throw errors.clientSecretMissing(id);
        if (problem === "wrong") throw errors.clientSecretMismatch(id);
      });
      // A sign-in bound to a device refreshes only with its DeviceKey (domain/devices.ts).
      checkRefreshDevice(user, session, input.DeviceKey);
      const rotation = client.client.RefreshTokenRotation;
      const rotate = rotatesRefreshTokens(client)
        ? { gracePeriodSeconds: rotation?.RetryGracePeriodSeconds ?? 0 }
        : undefined;
      // The pre token generation trigger (TokenGeneration_RefreshTokens) runs before anything
      // rotates: a failing one leaves the refresh token as it was.
      const custom = await refreshCustomization(ctx, pool, client, user, session, input.ClientMetadata);
      return { AuthenticationResult: await refreshSession(ctx, pool, client, user, session, rotate, custom) };
    });
  },
);
