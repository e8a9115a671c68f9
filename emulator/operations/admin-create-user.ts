import { randomInt } from "node:crypto";
import type { AdminCreateUserRequest, AdminCreateUserResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { preSignUpForAdminCreateUser } from "../domain/triggers/pre-sign-up.js";
import { checkWritableAttributes, normaliseBooleans } from "../domain/users/attributes.js";
import { deliverMessage, deliveryFor, maskDestination } from "../domain/users/codes.js";
import { checkRoomForUser, findUser, usesUsernameAttributes } from "../domain/users/lookup.js";
import { checkPasswordPolicy, passwordRecord } from "../domain/users/passwords.js";
import { attr, userType, withAttributes } from "../domain/users/records.js";
import { lockUsername, updateUser } from "../domain/users/update.js";
import { newUuid } from "../services/ids.js";
import type { InboxMessage } from "../services/inbox.js";
import type { StoredUser, UserRecord } from "../store/types.js";
import { defineOperation } from "./types.js";

/** A temporary password that satisfies any policy Cognito allows (up to 99 characters). */
function temporaryPassword(minLength: number): string {
  const sets = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!@#$%^&*"];
  const all = sets.join("");
  const chars = sets.map((s) => s[randomInt(s.length)]!);
  while (chars.length < Math.max(12, minLength)) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}

export default defineOperation(
  "AdminCreateUser",
  ["store", "clock", "locks", "inbox", "config", "log", "triggers"],
  async (input: AdminCreateUserRequest, ctx): Promise<Wire<AdminCreateUserResponse>> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const typed = input.Username!;
    let attributes = normaliseBooleans(
      pool,
      withAttributes([], Object.fromEntries((input.UserAttributes ?? []).map((a) => [a.Name!, a.Value ?? ""]))),
    );
    // The order decides which error a caller sees (docs/decisions/0028): a resent invitation
    // looks the user up first (a missing user is UserNotFoundException whatever the attributes),
    // a new user has its attributes checked before its name is found taken.
    const existing = findUser(ctx, pool, typed);
    if (input.MessageAction === "RESEND") {
      if (!existing) throw errors.userNotFound();
      if (existing.status !== "FORCE_CHANGE_PASSWORD") throw errors.resendNotPossible(existing.username);
      checkWritableAttributes(pool, attributes, { creating: true, admin: true });
    } else {
      checkWritableAttributes(pool, attributes, { creating: true, admin: true });
      if (existing) throw errors.userAccountExists();
    }

    let username = typed;
    if (!existing && usesUsernameAttributes(pool)) {
      const ua = (pool.pool.UsernameAttributes ?? []) as string[];
      if (typed.includes("@") && ua.includes("email"))
        attributes = withAttributes(attributes, { email: attr({ attributes }, "email") ?? typed });
      else if (/^\+\d+$/.test(typed) && ua.includes("phone_number"))
        attributes = withAttributes(attributes, {
          phone_number: attr({ attributes }, "phone_number") ?? typed,
        });
      else throw ua.includes("email") ? errors.usernameShouldBeEmail() : errors.usernameShouldBePhoneNumber();
      username = newUuid();
    }
    const policy = pool.pool.Policies?.PasswordPolicy;
    const tempPassword = input.TemporaryPassword ?? temporaryPassword(policy?.MinimumLength ?? 8);
    if (input.TemporaryPassword !== undefined)
      checkPasswordPolicy(pool, input.TemporaryPassword, "with password policy");
    if (!existing) checkRoomForUser(ctx, pool.id);
    // Pre sign-up runs before a new user is created (a resent invitation creates none), once the
    // input passes the checks, holding no lock; it can refuse the user, and its flags do nothing here.
    if (!existing)
      await preSignUpForAdminCreateUser(ctx, pool, {
        userName: username,
        clientId: undefined,
        attributes,
        validationData: input.ValidationData,
        clientMetadata: input.ClientMetadata,
      });

    /**
     * The invitation (unless suppressed), with the temporary password, to each medium asked for.
     * Every message is produced first (the custom message trigger may fail); what this answers
     * records them, once nothing can fail any more.
     */
    const invite = async (user: StoredUser, now: number): Promise<() => void> => {
      if (input.MessageAction === "SUPPRESS") return () => undefined;
      const media = input.DesiredDeliveryMediums?.length ? input.DesiredDeliveryMediums : ["SMS"];
      const messages: InboxMessage[] = [];
      for (const medium of media) {
        const delivery = deliveryFor(pool, user, medium === "EMAIL" ? "email" : "phone_number");
        if (!delivery) {
          if (input.DesiredDeliveryMediums?.length) throw errors.noDeliveryMediumAttribute();
          continue;
        }
        const sent = await deliverMessage(ctx, pool, user, "AdminCreateUser", delivery, tempPassword, {
          clientMetadata: input.ClientMetadata,
        });
        messages.push({
          userPoolId: pool.id,
          username: user.username,
          destination: delivery.value,
          deliveryMedium: delivery.medium,
          attributeName: delivery.attribute,
          reason: "AdminCreateUser",
          temporaryPassword: tempPassword,
          ...sent,
          createdAt: now / 1000,
        });
      }
      return () => {
        for (const message of messages) {
          ctx.inbox.add(message);
          const to = maskDestination(message.deliveryMedium, message.destination);
          ctx.log.debug(`[admin] invitation for ${user.username} to ${to}`);
        }
      };
    };

    return lockUsername(ctx, pool, typed, async () => {
      const now = ctx.clock.now();
      const days = policy?.TemporaryPasswordValidityDays ?? 7;
      if (existing) {
        // A resent invitation changes the user: one unit of work on them, from the record as it is
        // now (the user's lock is taken after the name's, the order every request takes them in).
        return updateUser(
          ctx,
          pool,
          existing,
          async (user) => {
            user.password = await passwordRecord(ctx, user, tempPassword, now + days * 86_400_000);
            const send = await invite(user, now);
            // After the awaits: the name must still be this user's, who must still be waiting.
            const current = findUser(ctx, pool, typed);
            if (!current || current.sub !== existing.sub) throw errors.userNotFound();
            if (user.status !== "FORCE_CHANGE_PASSWORD") throw errors.resendNotPossible(user.username);
            user.updatedAt = now;
            send();
            return { User: userType(user) };
          },
          { touch: false },
        );
      }
      const sub = usesUsernameAttributes(pool) ? username : newUuid();
      const user: UserRecord = {
        poolId: pool.id,
        username,
        sub,
        attributes: [{ Name: "sub", Value: sub }, ...attributes.filter((a) => a.Name !== "sub")],
        status: "FORCE_CHANGE_PASSWORD",
        enabled: true,
        createdAt: now,
        updatedAt: now,
        codes: {},
        failedSignIns: 0,
        groups: [],
        mfa: { sms: false, totp: false, email: false },
      };
      user.password = await passwordRecord(ctx, user, tempPassword, now + days * 86_400_000);
      // The invitation before the user is written: a failing custom message trigger creates nobody.
      const send = await invite(user, now);
      // After the awaits: the pool may be gone, or a concurrent request may have created the user.
      checkRoomForUser(ctx, pool.id);
      if (findUser(ctx, pool, typed)) throw errors.userAccountExists();
      send();
      ctx.store.putUser(user);
      return { User: userType(user) };
    });
  },
);
