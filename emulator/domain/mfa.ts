// The MFA view of a user that GetUser and AdminGetUser include.
import type { UserRecord } from "../store/types.js";

/** `MFAOptions`-free MFA fields: UserMFASettingList and PreferredMfaSetting, when set. */
export function mfaSettings(user: UserRecord): { UserMFASettingList?: string[]; PreferredMfaSetting?: string } {
  const list: string[] = [];
  if (user.mfa.sms) list.push("SMS_MFA");
  if (user.mfa.totp) list.push("SOFTWARE_TOKEN_MFA");
  if (user.mfa.email) list.push("EMAIL_OTP");
  return {
    ...(list.length > 0 ? { UserMFASettingList: list } : {}),
    ...(user.mfa.preferred ? { PreferredMfaSetting: user.mfa.preferred } : {}),
  };
}
