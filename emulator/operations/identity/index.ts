// The identity pools' operation registry (AWSCognitoIdentityService), built once at start-up.
// Adding an operation: write operations/identity/<kebab-name>.ts with a default
// defineIdentityOperation export, and import and list it here in alphabetical order
// (registry.test.ts checks both against the folder).

import type { IdentityOperationName } from "../../model/identity.js";
import createIdentityPool from "./create-identity-pool.js";
import deleteIdentities from "./delete-identities.js";
import deleteIdentityPool from "./delete-identity-pool.js";
import describeIdentity from "./describe-identity.js";
import describeIdentityPool from "./describe-identity-pool.js";
import getCredentialsForIdentity from "./get-credentials-for-identity.js";
import getId from "./get-id.js";
import getIdentityPoolRoles from "./get-identity-pool-roles.js";
import getOpenIdToken from "./get-open-id-token.js";
import getOpenIdTokenForDeveloperIdentity from "./get-open-id-token-for-developer-identity.js";
import getPrincipalTagAttributeMap from "./get-principal-tag-attribute-map.js";
import listIdentities from "./list-identities.js";
import listIdentityPools from "./list-identity-pools.js";
import listTagsForResource from "./list-tags-for-resource.js";
import lookupDeveloperIdentity from "./lookup-developer-identity.js";
import mergeDeveloperIdentities from "./merge-developer-identities.js";
import setIdentityPoolRoles from "./set-identity-pool-roles.js";
import setPrincipalTagAttributeMap from "./set-principal-tag-attribute-map.js";
import tagResource from "./tag-resource.js";
import type { IdentityOperation, IdentityRegistry } from "./types.js";
import unlinkDeveloperIdentity from "./unlink-developer-identity.js";
import unlinkIdentity from "./unlink-identity.js";
import untagResource from "./untag-resource.js";
import updateIdentityPool from "./update-identity-pool.js";

const OPERATIONS: readonly IdentityOperation<never, unknown>[] = [
  createIdentityPool,
  deleteIdentities,
  deleteIdentityPool,
  describeIdentity,
  describeIdentityPool,
  getCredentialsForIdentity,
  getId,
  getIdentityPoolRoles,
  getOpenIdToken,
  getOpenIdTokenForDeveloperIdentity,
  getPrincipalTagAttributeMap,
  listIdentities,
  listIdentityPools,
  listTagsForResource,
  lookupDeveloperIdentity,
  mergeDeveloperIdentities,
  setIdentityPoolRoles,
  setPrincipalTagAttributeMap,
  tagResource,
  unlinkDeveloperIdentity,
  unlinkIdentity,
  untagResource,
  updateIdentityPool,
] as IdentityOperation<never, unknown>[];

/** Name -> operation for every implemented identity operation; throws on a duplicate. */
export function buildIdentityRegistry(): IdentityRegistry {
  const map = new Map<IdentityOperationName, IdentityOperation<never, unknown>>();
  for (const op of OPERATIONS) {
    if (map.has(op.name)) throw new Error(`identity operation ${op.name} registered twice`);
    map.set(op.name, op);
  }
  return map;
}
