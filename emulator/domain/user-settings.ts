// The legacy user settings (AdminSetUserSettings, SetUserSettings): a list of MFAOptions that can
// only say "SMS to phone_number". A non-empty list turns the user's SMS MFA on, an empty one turns
// it off: the same flag SetUserMFAPreference's SMSMfaSettings.Enabled sets (domain/mfa.ts), so
// sign-in, GetUser's UserMFASettingList and this legacy form all agree (docs/decisions/0026).
import type { MFAOptionType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { StoredUser, UserRecord } from "../store/types.js";
import { attr } from "./users/records.js";

/** The one MFA option there is: SMS to the phone number. */
const SMS_OPTION = { DeliveryMedium: "SMS", AttributeName: "phone_number" } as const;

/**
 * Applies MFAOptions to `user` (the copy updateUser writes). Every option must be SMS to
 * phone_number (Cognito's message for another attribute); turning SMS on needs a phone number.
 */
export function applyUserSettings(user: UserRecord, options: readonly MFAOptionType[]): void {
  for (const option of options) {
    if (option.AttributeName !== "phone_number") throw errors.mfaOptionAttribute();
    if (option.DeliveryMedium !== "SMS") throw errors.mfaOptionDeliveryMedium();
  }
  if (options.length > 0) {
    if (!attr(user, "phone_number")) throw errors.mfaDeliveryNotConfigured("SMS_MFA");
    user.mfa.sms = true;
    return;
  }
  user.mfa.sms = false;
  if (user.mfa.preferred === "SMS_MFA") delete user.mfa.preferred;
  // As SetUserMFAPreference: passkey MFA stays on only beside another factor (domain/mfa.ts).
  if (user.mfa.webAuthn && !(user.mfa.totp || user.mfa.email)) throw errors.webAuthnMfaNeedsOtherFactor();
}

/**
 * The deprecated `MFAOptions` of GetUser and AdminGetUser: SMS to phone_number while the user's
 * SMS MFA is on (however it was turned on), nothing otherwise. It never shows TOTP or email.
 */
export function mfaOptions(user: StoredUser): { MFAOptions?: MFAOptionType[] } {
  return user.mfa.sms ? { MFAOptions: [{ ...SMS_OPTION }] } : {};
}
