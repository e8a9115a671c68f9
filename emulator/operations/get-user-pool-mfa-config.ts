import type {
  GetUserPoolMfaConfigRequest,
  GetUserPoolMfaConfigResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "GetUserPoolMfaConfig",
  ["store"],
  (input: GetUserPoolMfaConfigRequest, ctx): Wire<GetUserPoolMfaConfigResponse> => {
    const { mfa } = requirePool(ctx, input.UserPoolId!);
    return { ...mfa };
  },
);
