// The operation registry, built once at start-up. Adding an operation: write
// operations/<kebab-name>.ts with a default defineOperation export, and import and list it here
// in alphabetical order (registry.test.ts checks both against the folder).

import type { OperationName } from "../model/index.js";
import addCustomAttributes from "./add-custom-attributes.js";
import adminAddUserToGroup from "./admin-add-user-to-group.js";
import adminConfirmSignUp from "./admin-confirm-sign-up.js";
import adminCreateUser from "./admin-create-user.js";
import adminDeleteUser from "./admin-delete-user.js";
import adminDeleteUserAttributes from "./admin-delete-user-attributes.js";
import adminDisableProviderForUser from "./admin-disable-provider-for-user.js";
import adminDisableUser from "./admin-disable-user.js";
import adminEnableUser from "./admin-enable-user.js";
import adminForgetDevice from "./admin-forget-device.js";
import adminGetDevice from "./admin-get-device.js";
import adminGetUser from "./admin-get-user.js";
import adminInitiateAuth from "./admin-initiate-auth.js";
import adminLinkProviderForUser from "./admin-link-provider-for-user.js";
import adminListDevices from "./admin-list-devices.js";
import adminListGroupsForUser from "./admin-list-groups-for-user.js";
import adminRemoveUserFromGroup from "./admin-remove-user-from-group.js";
import adminResetUserPassword from "./admin-reset-user-password.js";
import adminRespondToAuthChallenge from "./admin-respond-to-auth-challenge.js";
import adminSetUserMfaPreference from "./admin-set-user-mfa-preference.js";
import adminSetUserPassword from "./admin-set-user-password.js";
import adminUpdateDeviceStatus from "./admin-update-device-status.js";
import adminUpdateUserAttributes from "./admin-update-user-attributes.js";
import adminUserGlobalSignOut from "./admin-user-global-sign-out.js";
import associateSoftwareToken from "./associate-software-token.js";
import changePassword from "./change-password.js";
import completeWebAuthnRegistration from "./complete-web-authn-registration.js";
import confirmDevice from "./confirm-device.js";
import confirmForgotPassword from "./confirm-forgot-password.js";
import confirmSignUp from "./confirm-sign-up.js";
import createGroup from "./create-group.js";
import createIdentityProvider from "./create-identity-provider.js";
import createResourceServer from "./create-resource-server.js";
import createUserPool from "./create-user-pool.js";
import createUserPoolClient from "./create-user-pool-client.js";
import createUserPoolDomain from "./create-user-pool-domain.js";
import deleteGroup from "./delete-group.js";
import deleteIdentityProvider from "./delete-identity-provider.js";
import deleteResourceServer from "./delete-resource-server.js";
import deleteUser from "./delete-user.js";
import deleteUserAttributes from "./delete-user-attributes.js";
import deleteUserPool from "./delete-user-pool.js";
import deleteUserPoolClient from "./delete-user-pool-client.js";
import deleteUserPoolDomain from "./delete-user-pool-domain.js";
import deleteWebAuthnCredential from "./delete-web-authn-credential.js";
import describeIdentityProvider from "./describe-identity-provider.js";
import describeResourceServer from "./describe-resource-server.js";
import describeUserPool from "./describe-user-pool.js";
import describeUserPoolClient from "./describe-user-pool-client.js";
import describeUserPoolDomain from "./describe-user-pool-domain.js";
import forgetDevice from "./forget-device.js";
import forgotPassword from "./forgot-password.js";
import getDevice from "./get-device.js";
import getGroup from "./get-group.js";
import getIdentityProviderByIdentifier from "./get-identity-provider-by-identifier.js";
import getSigningCertificate from "./get-signing-certificate.js";
import getTokensFromRefreshToken from "./get-tokens-from-refresh-token.js";
import getUser from "./get-user.js";
import getUserAttributeVerificationCode from "./get-user-attribute-verification-code.js";
import getUserAuthFactors from "./get-user-auth-factors.js";
import getUserPoolMfaConfig from "./get-user-pool-mfa-config.js";
import globalSignOut from "./global-sign-out.js";
import initiateAuth from "./initiate-auth.js";
import listDevices from "./list-devices.js";
import listGroups from "./list-groups.js";
import listIdentityProviders from "./list-identity-providers.js";
import listResourceServers from "./list-resource-servers.js";
import listTagsForResource from "./list-tags-for-resource.js";
import listUserPoolClients from "./list-user-pool-clients.js";
import listUserPools from "./list-user-pools.js";
import listUsers from "./list-users.js";
import listUsersInGroup from "./list-users-in-group.js";
import listWebAuthnCredentials from "./list-web-authn-credentials.js";
import resendConfirmationCode from "./resend-confirmation-code.js";
import respondToAuthChallenge from "./respond-to-auth-challenge.js";
import revokeToken from "./revoke-token.js";
import setUserMfaPreference from "./set-user-mfa-preference.js";
import setUserPoolMfaConfig from "./set-user-pool-mfa-config.js";
import signUp from "./sign-up.js";
import startWebAuthnRegistration from "./start-web-authn-registration.js";
import tagResource from "./tag-resource.js";
import type { Operation, Registry } from "./types.js";
import untagResource from "./untag-resource.js";
import updateDeviceStatus from "./update-device-status.js";
import updateGroup from "./update-group.js";
import updateIdentityProvider from "./update-identity-provider.js";
import updateResourceServer from "./update-resource-server.js";
import updateUserAttributes from "./update-user-attributes.js";
import updateUserPool from "./update-user-pool.js";
import updateUserPoolClient from "./update-user-pool-client.js";
import updateUserPoolDomain from "./update-user-pool-domain.js";
import verifySoftwareToken from "./verify-software-token.js";
import verifyUserAttribute from "./verify-user-attribute.js";

const OPERATIONS: readonly Operation<never, unknown>[] = [
  addCustomAttributes,
  adminAddUserToGroup,
  adminConfirmSignUp,
  adminCreateUser,
  adminDeleteUser,
  adminDeleteUserAttributes,
  adminDisableProviderForUser,
  adminDisableUser,
  adminEnableUser,
  adminForgetDevice,
  adminGetDevice,
  adminGetUser,
  adminInitiateAuth,
  adminLinkProviderForUser,
  adminListDevices,
  adminListGroupsForUser,
  adminRemoveUserFromGroup,
  adminResetUserPassword,
  adminRespondToAuthChallenge,
  adminSetUserMfaPreference,
  adminSetUserPassword,
  adminUpdateDeviceStatus,
  adminUpdateUserAttributes,
  adminUserGlobalSignOut,
  associateSoftwareToken,
  changePassword,
  completeWebAuthnRegistration,
  confirmDevice,
  confirmForgotPassword,
  confirmSignUp,
  createGroup,
  createIdentityProvider,
  createResourceServer,
  createUserPool,
  createUserPoolClient,
  createUserPoolDomain,
  deleteGroup,
  deleteIdentityProvider,
  deleteResourceServer,
  deleteUser,
  deleteUserAttributes,
  deleteUserPool,
  deleteUserPoolClient,
  deleteUserPoolDomain,
  deleteWebAuthnCredential,
  describeIdentityProvider,
  describeResourceServer,
  describeUserPool,
  describeUserPoolClient,
  describeUserPoolDomain,
  forgetDevice,
  forgotPassword,
  getDevice,
  getGroup,
  getIdentityProviderByIdentifier,
  getSigningCertificate,
  getTokensFromRefreshToken,
  getUser,
  getUserAttributeVerificationCode,
  getUserAuthFactors,
  getUserPoolMfaConfig,
  globalSignOut,
  initiateAuth,
  listDevices,
  listGroups,
  listIdentityProviders,
  listResourceServers,
  listTagsForResource,
  listUserPoolClients,
  listUserPools,
  listUsers,
  listUsersInGroup,
  listWebAuthnCredentials,
  resendConfirmationCode,
  respondToAuthChallenge,
  revokeToken,
  setUserMfaPreference,
  setUserPoolMfaConfig,
  signUp,
  startWebAuthnRegistration,
  tagResource,
  untagResource,
  updateDeviceStatus,
  updateGroup,
  updateIdentityProvider,
  updateResourceServer,
  updateUserAttributes,
  updateUserPool,
  updateUserPoolClient,
  updateUserPoolDomain,
  verifySoftwareToken,
  verifyUserAttribute,
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
