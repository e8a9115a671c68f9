// Tag operations address pools by ARN.

import type { Services } from "../context.js";
import { errors } from "../core/errors.js";
import type { StoredPool } from "../store/types.js";

/** The pool an ARN names, or ResourceNotFoundException. */
export function poolByArn(ctx: Pick<Services, "store">, arn: string): StoredPool {
  const m = /^arn:aws[\w-]*:cognito-idp:[^:]*:\d*:userpool\/(.+)$/.exec(arn);
  const pool = m ? ctx.store.getPool(m[1]!) : undefined;
  if (!pool || pool.pool.Arn !== arn) throw errors.resourceNotFound(arn);
  return pool;
}
