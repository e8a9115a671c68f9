// The operation registry, built once at start-up. Adding an operation: write
// operations/<kebab-name>.ts with a default defineOperation export, and import and list it here
// in alphabetical order (registry.test.ts checks both against the folder).

import type { OperationName } from "../model/index.js";
import addCustomAttributes from "./add-custom-attributes.js";
import addUserPoolClientSecret from "./add-user-pool-client-secret.js";
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
import adminListUserAuthEvents from "./admin-list-user-auth-events.js";
import adminRemoveUserFromGroup from "./admin-remove-user-from-group.js";
import adminResetUserPassword from "./admin-reset-user-password.js";
import adminRespondToAuthChallenge from "./admin-respond-to-auth-challenge.js";
import adminSetUserMfaPreference from "./admin-set-user-mfa-preference.js";
import adminSetUserPassword from "./admin-set-user-password.js";
import adminSetUserSettings from "./admin-set-user-settings.js";
import adminUpdateAuthEventFeedback from "./admin-update-auth-event-feedback.js";
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
import createManagedLoginBranding from "./create-managed-login-branding.js";
import createResourceServer from "./create-resource-server.js";
import createTerms from "./create-terms.js";
import createUserImportJob from "./create-user-import-job.js";
import createUserPool from "./create-user-pool.js";
import createUserPoolClient from "./create-user-pool-client.js";
import createUserPoolDomain from "./create-user-pool-domain.js";
import deleteGroup from "./delete-group.js";
import deleteIdentityProvider from "./delete-identity-provider.js";
import deleteManagedLoginBranding from "./delete-managed-login-branding.js";
import deleteResourceServer from "./delete-resource-server.js";
import deleteTerms from "./delete-terms.js";
import deleteUser from "./delete-user.js";
import deleteUserAttributes from "./delete-user-attributes.js";
import deleteUserPool from "./delete-user-pool.js";
import deleteUserPoolClient from "./delete-user-pool-client.js";
import deleteUserPoolClientSecret from "./delete-user-pool-client-secret.js";
import deleteUserPoolDomain from "./delete-user-pool-domain.js";
import deleteWebAuthnCredential from "./delete-web-authn-credential.js";
import describeIdentityProvider from "./describe-identity-provider.js";
import describeManagedLoginBranding from "./describe-managed-login-branding.js";
import describeManagedLoginBrandingByClient from "./describe-managed-login-branding-by-client.js";
import describeResourceServer from "./describe-resource-server.js";
import describeRiskConfiguration from "./describe-risk-configuration.js";
import describeTerms from "./describe-terms.js";
import describeUserImportJob from "./describe-user-import-job.js";
import describeUserPool from "./describe-user-pool.js";
import describeUserPoolClient from "./describe-user-pool-client.js";
import describeUserPoolDomain from "./describe-user-pool-domain.js";
import forgetDevice from "./forget-device.js";
import forgotPassword from "./forgot-password.js";
import getCSVHeader from "./get-csv-header.js";
import getDevice from "./get-device.js";
import getGroup from "./get-group.js";
import getIdentityProviderByIdentifier from "./get-identity-provider-by-identifier.js";
import getLogDeliveryConfiguration from "./get-log-delivery-configuration.js";
import getSigningCertificate from "./get-signing-certificate.js";
import getTokensFromRefreshToken from "./get-tokens-from-refresh-token.js";
import getUICustomization from "./get-ui-customization.js";
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
import listTerms from "./list-terms.js";
import listUserImportJobs from "./list-user-import-jobs.js";
import listUserPoolClientSecrets from "./list-user-pool-client-secrets.js";
import listUserPoolClients from "./list-user-pool-clients.js";
import listUserPools from "./list-user-pools.js";
import listUsers from "./list-users.js";
import listUsersInGroup from "./list-users-in-group.js";
import listWebAuthnCredentials from "./list-web-authn-credentials.js";
import resendConfirmationCode from "./resend-confirmation-code.js";
import respondToAuthChallenge from "./respond-to-auth-challenge.js";
import revokeToken from "./revoke-token.js";
import setLogDeliveryConfiguration from "./set-log-delivery-configuration.js";
import setRiskConfiguration from "./set-risk-configuration.js";
import setUICustomization from "./set-ui-customization.js";
import setUserMfaPreference from "./set-user-mfa-preference.js";
import setUserPoolMfaConfig from "./set-user-pool-mfa-config.js";
import setUserSettings from "./set-user-settings.js";
import signUp from "./sign-up.js";
import startUserImportJob from "./start-user-import-job.js";
import startWebAuthnRegistration from "./start-web-authn-registration.js";
import stopUserImportJob from "./stop-user-import-job.js";
import tagResource from "./tag-resource.js";
import type { Operation, Registry } from "./types.js";
import untagResource from "./untag-resource.js";
import updateAuthEventFeedback from "./update-auth-event-feedback.js";
import updateDeviceStatus from "./update-device-status.js";
import updateGroup from "./update-group.js";
import updateIdentityProvider from "./update-identity-provider.js";
import updateManagedLoginBranding from "./update-managed-login-branding.js";
import updateResourceServer from "./update-resource-server.js";
import updateTerms from "./update-terms.js";
import updateUserAttributes from "./update-user-attributes.js";
import updateUserPool from "./update-user-pool.js";
import updateUserPoolClient from "./update-user-pool-client.js";
import updateUserPoolDomain from "./update-user-pool-domain.js";
import verifySoftwareToken from "./verify-software-token.js";
import verifyUserAttribute from "./verify-user-attribute.js";

const OPERATIONS: readonly Operation<never, unknown>[] = [
  addCustomAttributes,
  addUserPoolClientSecret,
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
  adminListUserAuthEvents,
  adminRemoveUserFromGroup,
  adminResetUserPassword,
  adminRespondToAuthChallenge,
  adminSetUserMfaPreference,
  adminSetUserPassword,
  adminSetUserSettings,
  adminUpdateAuthEventFeedback,
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
  createManagedLoginBranding,
  createResourceServer,
  createTerms,
  createUserImportJob,
  createUserPool,
  createUserPoolClient,
  createUserPoolDomain,
  deleteGroup,
  deleteIdentityProvider,
  deleteManagedLoginBranding,
  deleteResourceServer,
  deleteTerms,
  deleteUser,
  deleteUserAttributes,
  deleteUserPool,
  deleteUserPoolClient,
  deleteUserPoolClientSecret,
  deleteUserPoolDomain,
  deleteWebAuthnCredential,
  describeIdentityProvider,
  describeManagedLoginBranding,
  describeManagedLoginBrandingByClient,
  describeResourceServer,
  describeRiskConfiguration,
  describeTerms,
  describeUserImportJob,
  describeUserPool,
  describeUserPoolClient,
  describeUserPoolDomain,
  forgetDevice,
  forgotPassword,
  getCSVHeader,
  getDevice,
  getGroup,
  getIdentityProviderByIdentifier,
  getLogDeliveryConfiguration,
  getSigningCertificate,
  getTokensFromRefreshToken,
  getUICustomization,
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
  listTerms,
  listUserImportJobs,
  listUserPoolClientSecrets,
  listUserPoolClients,
  listUserPools,
  listUsers,
  listUsersInGroup,
  listWebAuthnCredentials,
  resendConfirmationCode,
  respondToAuthChallenge,
  revokeToken,
  setLogDeliveryConfiguration,
  setRiskConfiguration,
  setUICustomization,
  setUserMfaPreference,
  setUserPoolMfaConfig,
  setUserSettings,
  signUp,
  startUserImportJob,
  startWebAuthnRegistration,
  stopUserImportJob,
  tagResource,
  untagResource,
  updateAuthEventFeedback,
  updateDeviceStatus,
  updateGroup,
  updateIdentityProvider,
  updateManagedLoginBranding,
  updateResourceServer,
  updateTerms,
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
