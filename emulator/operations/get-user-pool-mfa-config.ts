import type {
  GetUserPoolMfaConfigRequest,
  GetUserPoolMfaConfigResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import type { Wire } from "../store/types.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "GetUserPoolMfaConfig",
  (input: GetUserPoolMfaConfigRequest, ctx): Wire<GetUserPoolMfaConfigResponse> => {
    const { mfa } = requirePool(ctx, input.UserPoolId!);
    return { ...mfa };
  },
);
