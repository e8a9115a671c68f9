// The operation registry, built once at start-up. Adding an operation: write
// operations/<kebab-name>.ts with a default defineOperation export, and list it here.
import type { Registry } from "../protocol/dispatch.js";
import type { OperationName } from "../model/index.js";
import type { Operation } from "./types.js";

import addCustomAttributes from "./add-custom-attributes.js";
import signUp from "./sign-up.js";
import initiateAuth from "./initiate-auth.js";
import getUser from "./get-user.js";
import confirmSignUp from "./confirm-sign-up.js";
import adminSetUserPassword from "./admin-set-user-password.js";
import adminCreateUser from "./admin-create-user.js";
import createUserPool from "./create-user-pool.js";
import createUserPoolClient from "./create-user-pool-client.js";
import deleteUserPool from "./delete-user-pool.js";
import deleteUserPoolClient from "./delete-user-pool-client.js";
import describeUserPool from "./describe-user-pool.js";
import describeUserPoolClient from "./describe-user-pool-client.js";
import getUserPoolMfaConfig from "./get-user-pool-mfa-config.js";
import listTagsForResource from "./list-tags-for-resource.js";
import listUserPoolClients from "./list-user-pool-clients.js";
import listUserPools from "./list-user-pools.js";
import setUserPoolMfaConfig from "./set-user-pool-mfa-config.js";
import tagResource from "./tag-resource.js";
import untagResource from "./untag-resource.js";
import updateUserPool from "./update-user-pool.js";
import updateUserPoolClient from "./update-user-pool-client.js";

const OPERATIONS: readonly Operation<never, unknown>[] = [
  addCustomAttributes,
  signUp,
  initiateAuth,
  getUser,
  confirmSignUp,
  adminSetUserPassword,
  adminCreateUser,
  createUserPool,
  createUserPoolClient,
  deleteUserPool,
  deleteUserPoolClient,
  describeUserPool,
  describeUserPoolClient,
  getUserPoolMfaConfig,
  listTagsForResource,
  listUserPoolClients,
  listUserPools,
  setUserPoolMfaConfig,
  tagResource,
  untagResource,
  updateUserPool,
  updateUserPoolClient,
] as Operation<never, unknown>[];

/** Name -> operation for every implemented operation; throws on a duplicate. */
export function buildRegistry(): Registry {
  const map = new Map<OperationName, Operation<never, unknown>>();
  for (const op of OPERATIONS) {
    if (map.has(op.name)) throw new Error(`operation ${op.name} registered twice`);
    map.set(op.name, op);
  }
  return map;
}
