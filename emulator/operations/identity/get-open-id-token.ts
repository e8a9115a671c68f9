import type { GetOpenIdTokenInput, GetOpenIdTokenResponse } from "@aws-sdk/client-cognito-identity";
import { identityErrors } from "../../core/errors.js";
import { checkAccess, requireIdentity } from "../../domain/identity-pools/identities.js";
import { amrOf, issueOpenIdToken, OPEN_ID_TOKEN_SECONDS } from "../../domain/identity-pools/issue.js";
import { verifyLogins } from "../../domain/identity-pools/logins.js";
import { requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

// The classic (basic) flow's step before STS's AssumeRoleWithWebIdentity, which the emulator
// does not serve: the flow ends at this token here (docs/identity-pools.md). Unset
// AllowClassicFlow allows it, as Cognito does; false refuses it with Cognito's message.
export default defineIdentityOperation(
  "GetOpenIdToken",
  ["store", "clock", "config", "keys", "identityKeys"],
  async (input: GetOpenIdTokenInput, ctx): Promise<GetOpenIdTokenResponse> => {
    const { pool } = requireIdentity(ctx, input.IdentityId!);
    if (pool.allowClassicFlow === false) throw identityErrors.classicFlowDisabled();
    const verified = await verifyLogins(ctx, pool, input.Logins);
    const current = requireIdentityPool(ctx, pool.id);
    const access = checkAccess(ctx, current, input.IdentityId!, verified);
    const token = await issueOpenIdToken(ctx, ctx.baseUrl, current, {
      identityId: access.identity.id,
      amr: amrOf(access),
      seconds: OPEN_ID_TOKEN_SECONDS,
    });
    return { IdentityId: access.identity.id, Token: token };
  },
);
