import { randomInt } from "node:crypto";
import type { AdminCreateUserRequest, AdminCreateUserResponse } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoError, errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { checkWritableAttributes } from "../domain/users/attributes.js";
import { deliveryFor, maskDestination } from "../domain/users/codes.js";
import { checkRoomForUser, findUser, usesUsernameAttributes } from "../domain/users/lookup.js";
import { checkPasswordPolicy, passwordRecord } from "../domain/users/passwords.js";
import { attr, userType, withAttributes } from "../domain/users/records.js";
import { newUuid } from "../services/ids.js";
import type { UserRecord } from "../store/types.js";
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
  async (input: AdminCreateUserRequest, ctx): Promise<Wire<AdminCreateUserResponse>> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const typed = input.Username!;
    let attributes = withAttributes(
      [],
      Object.fromEntries((input.UserAttributes ?? []).map((a) => [a.Name!, a.Value ?? ""])),
    );
    checkWritableAttributes(pool, attributes, { creating: true, admin: true });

    const existing = findUser(ctx, pool, typed);
    if (input.MessageAction === "RESEND") {
      if (!existing) throw errors.userNotFound();
      if (existing.status !== "FORCE_CHANGE_PASSWORD")
        throw new CognitoError(
          "UnsupportedUserStateException",
          `Resend not possible. ${existing.username} status is not FORCE_CHANGE_PASSWORD.`,
        );
    } else if (existing) {
      throw new CognitoError("UsernameExistsException", "User account already exists");
    }

    let username = typed;
    if (!existing && usesUsernameAttributes(pool)) {
      const ua = (pool.pool.UsernameAttributes ?? []) as string[];
      if (typed.includes("@") && ua.includes("email"))
        attributes = withAttributes(attributes, { email: attr({ attributes } as UserRecord, "email") ?? typed });
      else if (/^\+\d+$/.test(typed) && ua.includes("phone_number"))
        attributes = withAttributes(attributes, {
          phone_number: attr({ attributes } as UserRecord, "phone_number") ?? typed,
        });
      else
        throw errors.invalidParameter(
          ua.includes("email") ? "Username should be an email." : "Username should be a phone number.",
        );
      username = newUuid();
    }
    const policy = pool.pool.Policies?.PasswordPolicy;
    const tempPassword = input.TemporaryPassword ?? temporaryPassword(policy?.MinimumLength ?? 8);
    if (input.TemporaryPassword !== undefined)
      checkPasswordPolicy(pool, input.TemporaryPassword, "with password policy");
    if (!existing) checkRoomForUser(ctx, pool.id);

    return ctx.locks.run(`${pool.id}/signup/${ctx.store.usernameKey(pool.id, typed)}`, async () => {
      const now = ctx.clock.now();
      const days = policy?.TemporaryPasswordValidityDays ?? 7;
      let user: UserRecord;
      if (existing) {
        user = structuredClone(existing);
        user.updatedAt = now;
      } else {
        const sub = usesUsernameAttributes(pool) ? username : newUuid();
        user = {
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
      }
      const password = await passwordRecord(ctx, user, tempPassword, now + days * 86_400_000);
      // After the hash: the pool may be gone, a concurrent request may have created the user, and a
      // resent invitation must start from the record as it is now, not as it was before the await.
      if (existing) {
        const current = findUser(ctx, pool, typed);
        if (!current || current.sub !== existing.sub) throw errors.userNotFound();
        if (current.status !== "FORCE_CHANGE_PASSWORD")
          throw new CognitoError(
            "UnsupportedUserStateException",
            `Resend not possible. ${current.username} status is not FORCE_CHANGE_PASSWORD.`,
          );
        user = structuredClone(current);
        user.updatedAt = now;
      } else {
        checkRoomForUser(ctx, pool.id);
        if (findUser(ctx, pool, typed))
          throw new CognitoError("UsernameExistsException", "User account already exists");
      }
      user.password = password;

      if (input.MessageAction !== "SUPPRESS") {
        const media = input.DesiredDeliveryMediums?.length ? input.DesiredDeliveryMediums : ["SMS"];
        for (const medium of media) {
          const delivery = deliveryFor(pool, user, medium === "EMAIL" ? "email" : "phone_number");
          if (!delivery) {
            if (input.DesiredDeliveryMediums?.length)
              throw errors.invalidParameter(`User has no attribute matching desired delivery mediums`);
            continue;
          }
          ctx.inbox.add({
            userPoolId: pool.id,
            username: user.username,
            destination: delivery.value,
            deliveryMedium: delivery.medium,
            attributeName: delivery.attribute,
            reason: "AdminCreateUser",
            temporaryPassword: tempPassword,
            createdAt: now / 1000,
          });
          ctx.log.debug(
            `[admin] invitation for ${user.username} to ${maskDestination(delivery.medium, delivery.value)}`,
          );
        }
      }
      ctx.store.putUser(user);
      return { User: userType(user) };
    });
  },
);
