import { randomUUID } from "node:crypto";
import type { CreateIdentityPoolInput, IdentityPool } from "@aws-sdk/client-cognito-identity";
import { identityPoolType, settingsRecord } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

// The pool's region is the caller's (the SigV4 scope's, else --region), as in its id.
export default defineIdentityOperation(
  "CreateIdentityPool",
  ["store", "clock"],
  (input: CreateIdentityPoolInput, ctx): IdentityPool => {
    const record = { id: `${ctx.region}:${randomUUID()}`, createdAt: ctx.clock.now(), ...settingsRecord(input) };
    ctx.store.putIdentityPool(record);
    return identityPoolType(record);
  },
);
