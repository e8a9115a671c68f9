import type {
  GetOpenIdTokenForDeveloperIdentityInput,
  GetOpenIdTokenForDeveloperIdentityResponse,
} from "@aws-sdk/client-cognito-identity";
import { identityErrors } from "../../core/errors.js";
import { createIdentity, linkLogins } from "../../domain/identity-pools/identities.js";
import { amrOf, issueOpenIdToken } from "../../domain/identity-pools/issue.js";
import { verifyLogins } from "../../domain/identity-pools/logins.js";
import { requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

/** TokenDuration when none is given: 15 minutes (the API reference). */
const DEFAULT_SECONDS = 900;

// Developer-authenticated identities: the backend vouches for its user id (this call is signed);
// the identity of that user id is found, made, or (IdentityId) linked, with any user-pool logins
// given beside it. The token then goes to GetCredentialsForIdentity as `cognito-identity.amazonaws.com`.
export default defineIdentityOperation(
  "GetOpenIdTokenForDeveloperIdentity",
  ["store", "clock", "config", "keys", "identityKeys"],
  async (input: GetOpenIdTokenForDeveloperIdentityInput, ctx): Promise<GetOpenIdTokenForDeveloperIdentityResponse> => {
    const pool = requireIdentityPool(ctx, input.IdentityPoolId!);
    const developer = pool.developerProviderName;
    if (developer === undefined) throw identityErrors.developerProviderMismatch();
    const { [developer]: userId, ...others } = input.Logins!;
    if (userId === undefined) throw identityErrors.developerLoginMissing(developer);
    const verified = await verifyLogins(ctx, pool, others);
    const current = requireIdentityPool(ctx, pool.id);

    const registered = ctx.store.findIdentityByLogin(current.id, developer, userId);
    let identity = registered;
    if (input.IdentityId !== undefined) {
      const named = ctx.store.getIdentity(input.IdentityId);
      if (!named || named.poolId !== current.id) throw identityErrors.identityNotFound(input.IdentityId);
      if (registered && registered.id !== named.id) throw identityErrors.developerUserAlreadyRegistered();
      identity = named;
    }
    for (const v of verified) {
      const owner = ctx.store.findIdentityByLogin(current.id, v.provider, v.subject);
      if (owner && identity && owner.id !== identity.id) throw identityErrors.loginOfAnotherIdentity();
      identity ??= owner;
    }
    const logins = [
      { provider: developer, subject: userId },
      ...verified.map((v) => ({ provider: v.provider, subject: v.subject })),
    ];
    identity = identity ? linkLogins(ctx, identity, logins) : createIdentity(ctx, current, logins);

    const amr = [
      ...amrOf({ identity, authenticated: true, verified }),
      developer,
      `${developer}:${current.id}:${userId}`,
    ];
    const token = await issueOpenIdToken(ctx, ctx.baseUrl, current, {
      identityId: identity.id,
      amr,
      seconds: input.TokenDuration ?? DEFAULT_SECONDS,
      principalTags: input.PrincipalTags,
    });
    return { IdentityId: identity.id, Token: token };
  },
);
