// Cognito's request-rate quotas for user pools: the operation categories, their default rates,
// and which operation counts in which category (docs/decisions/0032-faults-and-quotas.md). A leaf,
// so the settings (config.ts) can check `--quotas` against the category names.
import type { OperationName } from "../model/index.js";

/** The user pool API categories of AWS's quota page, in its order. */
export const QUOTA_CATEGORIES = [
  "UserAuthentication",
  "UserCreation",
  "UserAccountRecovery",
  "UserRead",
  "UserUpdate",
  "UserToken",
  "UserResourceRead",
  "UserResourceUpdate",
  "UserList",
  "UserPoolRead",
  "UserPoolUpdate",
  "UserPoolResourceRead",
  "UserPoolResourceUpdate",
  "UserPoolClientRead",
  "UserPoolClientUpdate",
] as const;

/** A quota category of the user pools API. */
export type QuotaCategory = (typeof QUOTA_CATEGORIES)[number];

/**
 * Requests per second each category allows across the user pools of one account in one Region,
 * AWS's defaults ("Default quota (RPS)" of the developer guide's quotas page).
 */
export const DEFAULT_QUOTAS: Readonly<Record<QuotaCategory, number>> = Object.freeze({
  UserAuthentication: 120,
  UserCreation: 50,
  UserAccountRecovery: 30,
  UserRead: 120,
  UserUpdate: 25,
  UserToken: 120,
  UserResourceRead: 50,
  UserResourceUpdate: 25,
  UserList: 30,
  UserPoolRead: 15,
  UserPoolUpdate: 15,
  UserPoolResourceRead: 20,
  UserPoolResourceUpdate: 15,
  UserPoolClientRead: 15,
  UserPoolClientUpdate: 15,
});

/**
 * Categories whose every operation is also held to {@link PER_POOL_OPERATION_RPS} per user pool
 * (the quota page's footnote 1).
 */
export const PER_POOL_CATEGORIES: ReadonlySet<QuotaCategory> = new Set<QuotaCategory>([
  "UserPoolResourceRead",
  "UserPoolResourceUpdate",
  "UserPoolClientRead",
  "UserPoolClientUpdate",
]);

/** Requests per second one operation of a {@link PER_POOL_CATEGORIES} category may make on one pool. */
export const PER_POOL_OPERATION_RPS = 5;

/**
 * Operations counted apart at three times the UserAuthentication rate; what goes beyond that
 * counts towards UserAuthentication (the quota page's "special request rate handling").
 */
export const CHALLENGE_OPERATIONS: ReadonlySet<OperationName> = new Set<OperationName>([
  "RespondToAuthChallenge",
  "AdminRespondToAuthChallenge",
]);

const category = (c: QuotaCategory, ops: readonly OperationName[]) => ops.map((op) => [op, c] as const);

/**
 * The category each operation counts in. UserAuthentication and UserCreation list the
 * operations the quota page names; the others follow its category descriptions (ADR 0032).
 * An operation that is absent is not counted (none today: a test checks every one is here).
 */
export const QUOTA_CATEGORY_OF: Readonly<Partial<Record<OperationName, QuotaCategory>>> = Object.freeze(
  Object.fromEntries([
    ...category("UserAuthentication", [
      "AdminInitiateAuth",
      "AdminRespondToAuthChallenge",
      "InitiateAuth",
      "RespondToAuthChallenge",
    ]),
    ...category("UserCreation", ["AdminConfirmSignUp", "AdminCreateUser", "ConfirmSignUp", "SignUp"]),
    ...category("UserAccountRecovery", [
      "AdminResetUserPassword",
      "AdminSetUserPassword",
      "ChangePassword",
      "ConfirmForgotPassword",
      "ForgotPassword",
    ]),
    ...category("UserRead", ["AdminGetUser", "GetUser", "GetUserAuthFactors"]),
    ...category("UserUpdate", [
      "AdminDeleteUser",
      "AdminDeleteUserAttributes",
      "AdminDisableProviderForUser",
      "AdminDisableUser",
      "AdminEnableUser",
      "AdminLinkProviderForUser",
      "AdminSetUserMFAPreference",
      "AdminSetUserSettings",
      "AdminUpdateUserAttributes",
      "AssociateSoftwareToken",
      "DeleteUser",
      "DeleteUserAttributes",
      "GetUserAttributeVerificationCode",
      "ResendConfirmationCode",
      "SetUserMFAPreference",
      "SetUserSettings",
      "UpdateUserAttributes",
      "VerifySoftwareToken",
      "VerifyUserAttribute",
    ]),
    ...category("UserToken", ["AdminUserGlobalSignOut", "GetTokensFromRefreshToken", "GlobalSignOut", "RevokeToken"]),
    ...category("UserResourceRead", [
      "AdminGetDevice",
      "AdminListDevices",
      "AdminListGroupsForUser",
      "AdminListUserAuthEvents",
      "GetDevice",
      "ListDevices",
      "ListWebAuthnCredentials",
    ]),
    ...category("UserResourceUpdate", [
      "AdminAddUserToGroup",
      "AdminForgetDevice",
      "AdminRemoveUserFromGroup",
      "AdminUpdateAuthEventFeedback",
      "AdminUpdateDeviceStatus",
      "CompleteWebAuthnRegistration",
      "ConfirmDevice",
      "DeleteWebAuthnCredential",
      "ForgetDevice",
      "StartWebAuthnRegistration",
      "UpdateAuthEventFeedback",
      "UpdateDeviceStatus",
    ]),
    ...category("UserList", ["ListUsers", "ListUsersInGroup"]),
    ...category("UserPoolRead", ["DescribeUserPool", "GetUserPoolMfaConfig", "ListUserPools"]),
    ...category("UserPoolUpdate", [
      "AddCustomAttributes",
      "CreateUserPool",
      "DeleteUserPool",
      "SetUserPoolMfaConfig",
      "UpdateUserPool",
    ]),
    ...category("UserPoolResourceRead", [
      "DescribeIdentityProvider",
      "DescribeManagedLoginBranding",
      "DescribeManagedLoginBrandingByClient",
      "DescribeResourceServer",
      "DescribeRiskConfiguration",
      "DescribeTerms",
      "DescribeUserImportJob",
      "DescribeUserPoolDomain",
      "GetCSVHeader",
      "GetGroup",
      "GetIdentityProviderByIdentifier",
      "GetLogDeliveryConfiguration",
      "GetSigningCertificate",
      "GetUICustomization",
      "ListGroups",
      "ListIdentityProviders",
      "ListResourceServers",
      "ListTagsForResource",
      "ListTerms",
      "ListUserImportJobs",
    ]),
    ...category("UserPoolResourceUpdate", [
      "CreateGroup",
      "CreateIdentityProvider",
      "CreateManagedLoginBranding",
      "CreateResourceServer",
      "CreateTerms",
      "CreateUserImportJob",
      "CreateUserPoolDomain",
      "DeleteGroup",
      "DeleteIdentityProvider",
      "DeleteManagedLoginBranding",
      "DeleteResourceServer",
      "DeleteTerms",
      "DeleteUserPoolDomain",
      "SetLogDeliveryConfiguration",
      "SetRiskConfiguration",
      "SetUICustomization",
      "StartUserImportJob",
      "StopUserImportJob",
      "TagResource",
      "UntagResource",
      "UpdateGroup",
      "UpdateIdentityProvider",
      "UpdateManagedLoginBranding",
      "UpdateResourceServer",
      "UpdateTerms",
      "UpdateUserPoolDomain",
    ]),
    ...category("UserPoolClientRead", ["DescribeUserPoolClient", "ListUserPoolClientSecrets", "ListUserPoolClients"]),
    ...category("UserPoolClientUpdate", [
      "AddUserPoolClientSecret",
      "CreateUserPoolClient",
      "DeleteUserPoolClient",
      "DeleteUserPoolClientSecret",
      "UpdateUserPoolClient",
    ]),
  ]),
);

/**
 * `--quotas` as text into the rates it overrides: `aws` (AWS's defaults), or
 * `UserAuthentication=10,UserCreation=5` (these rates, AWS's defaults for the other categories).
 * Throws an Error naming what it cannot read.
 */
export function parseQuotaSpec(text: string): Partial<Record<QuotaCategory, number>> {
  const rates: Partial<Record<QuotaCategory, number>> = {};
  for (const raw of text.split(",")) {
    const part = raw.trim();
    if (part === "" || part.toLowerCase() === "aws") continue;
    const eq = part.indexOf("=");
    const name = eq > 0 ? part.slice(0, eq).trim() : part;
    const problem = quotaProblem(name, eq > 0 ? Number(part.slice(eq + 1).trim()) : Number.NaN);
    if (problem) throw new Error(`quotas: "${part}": ${problem}`);
    rates[name as QuotaCategory] = Number(part.slice(eq + 1).trim());
  }
  return rates;
}

/** Why a category and rate cannot be used, or undefined. */
export function quotaProblem(name: string, rate: unknown): string | undefined {
  if (!(QUOTA_CATEGORIES as readonly string[]).includes(name))
    return `${name} is not a quota category (one of ${QUOTA_CATEGORIES.join(", ")})`;
  if (typeof rate !== "number" || !Number.isInteger(rate) || rate < 1 || rate > 100_000)
    return `the rate of ${name} must be a whole number of requests per second from 1 to 100000, not ${String(rate)}`;
  return undefined;
}
