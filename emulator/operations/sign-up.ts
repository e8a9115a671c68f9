import type { SignUpRequest, SignUpResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { checkSecretHash } from "../domain/auth.js";
import { checkSignUpPassword, noteSignUp } from "../domain/auth-events.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { postConfirmation } from "../domain/triggers/post-confirmation.js";
import { preSignUpForSignUp } from "../domain/triggers/pre-sign-up.js";
import { allowsPasswordlessSignUp, signUpSession } from "../domain/user-auth.js";
import { checkRequiredAttributes, checkWritableAttributes, normaliseBooleans } from "../domain/users/attributes.js";
import { deliveryFor, issueCode } from "../domain/users/codes.js";
import { checkRoomForUser, findUser, usesUsernameAttributes } from "../domain/users/lookup.js";
import { checkPasswordPolicy, passwordRecord } from "../domain/users/passwords.js";
import { attr, withAttributes } from "../domain/users/records.js";
import { lockUsername } from "../domain/users/update.js";
import { newUuid } from "../services/ids.js";
import type { UserRecord } from "../store/types.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "SignUp",
  ["store", "clock", "locks", "inbox", "config", "triggers"],
  async (input: SignUpRequest, ctx): Promise<Wire<SignUpResponse>> => {
    const client = requireClient(ctx, input.ClientId!);
    const pool = requirePool(ctx, client.poolId);
    const typed = input.Username!;
    checkSecretHash(client, input.SecretHash, [typed]);
    // No (or a blank) Password: a passwordless user, where a one-time code can sign them in.
    const password = input.Password || undefined;
    if (password === undefined && !allowsPasswordlessSignUp(pool)) throw errors.passwordRequiredForSignUp();

    const usernameAttrs = (pool.pool.UsernameAttributes ?? []) as string[];
    let attributes = normaliseBooleans(
      pool,
      withAttributes([], Object.fromEntries((input.UserAttributes ?? []).map((a) => [a.Name!, a.Value ?? ""]))),
    );
    checkWritableAttributes(pool, attributes, { creating: true, admin: false, signUp: true });
    let username = typed;
    let duplicate = errors.userAlreadyExists;
    if (usesUsernameAttributes(pool)) {
      // Email/phone as username: the name typed is the attribute, the username is a UUID (the sub).
      const isEmail = typed.includes("@");
      if (isEmail && usernameAttrs.includes("email")) {
        attributes = withAttributes(attributes, { email: attr({ attributes }, "email") ?? typed });
        duplicate = () => errors.usernameAttributeExists("email");
      } else if (/^\+\d+$/.test(typed) && usernameAttrs.includes("phone_number")) {
        attributes = withAttributes(attributes, {
          phone_number: attr({ attributes }, "phone_number") ?? typed,
        });
        duplicate = () => errors.usernameAttributeExists("phone_number");
      } else {
        throw usernameAttrs.includes("email") && !usernameAttrs.includes("phone_number")
          ? errors.usernameShouldBeEmail()
          : usernameAttrs.includes("phone_number") && !usernameAttrs.includes("email")
            ? errors.usernameShouldBePhoneNumber()
            : errors.usernameShouldBeEmailOrPhoneNumber();
      }
      username = newUuid();
    }
    checkRequiredAttributes(pool, attributes);
    if (password !== undefined) checkPasswordPolicy(pool, password);
    // Threat protection refuses a compromised password (BLOCK, EventFilter SIGN_UP).
    checkSignUpPassword(ctx, pool, client, password);
    checkRoomForUser(ctx, pool.id);
    // Pre sign-up runs once the input passes every check (a name already taken is answered
    // without it) and before the user exists, holding no lock: the function may call the API.
    if (findUser(ctx, pool, typed)) throw duplicate();
    const preSignUp = await preSignUpForSignUp(ctx, pool, {
      userName: username,
      clientId: client.client.ClientId,
      attributes,
      validationData: input.ValidationData,
      clientMetadata: input.ClientMetadata,
    });

    const created = await lockUsername(ctx, pool, typed, async () => {
      if (findUser(ctx, pool, typed)) throw duplicate();
      const now = ctx.clock.now();
      const sub = usesUsernameAttributes(pool) ? username : newUuid();
      const user: UserRecord = {
        poolId: pool.id,
        username,
        sub,
        attributes: withAttributes(attributes, { sub, ...preSignUp.verified }),
        status: preSignUp.confirmed ? "CONFIRMED" : "UNCONFIRMED",
        enabled: true,
        createdAt: now,
        updatedAt: now,
        codes: {},
        failedSignIns: 0,
        groups: [],
        mfa: { sms: false, totp: false, email: false },
      };
      // sub first, as Cognito lists it.
      user.attributes = [{ Name: "sub", Value: sub }, ...user.attributes.filter((a) => a.Name !== "sub")];
      if (password !== undefined) user.password = await passwordRecord(ctx, user, password);
      // An auto-confirmed user has nothing to confirm: no code is sent. The code's message comes
      // before the user is written: a failing custom message trigger leaves no user behind.
      const auto = preSignUp.confirmed ? [] : ((pool.pool.AutoVerifiedAttributes ?? []) as string[]);
      const delivery =
        auto.length > 0 ? deliveryFor(pool, user, auto.includes("email") ? "email" : "phone_number") : undefined;
      const details = delivery
        ? await issueCode(ctx, pool, user, "signUp", "SignUp", delivery, {
            clientId: client.client.ClientId,
            clientMetadata: input.ClientMetadata,
          })
        : undefined;
      // Re-check after the awaits: a concurrent sign-up may have won, or the pool gone, meanwhile.
      checkRoomForUser(ctx, pool.id);
      if (findUser(ctx, pool, typed)) throw duplicate();
      noteSignUp(ctx, pool, client, user, password);
      ctx.store.putUser(user);
      const answer: Wire<SignUpResponse> = {
        UserConfirmed: preSignUp.confirmed,
        ...(details ? { CodeDeliveryDetails: details } : {}),
        UserSub: sub,
      };
      return { user, answer };
    });
    // A user confirmed at sign-up is confirmed as by ConfirmSignUp, with SignUp's ClientMetadata;
    // when that trigger fails, the user stays created and confirmed and SignUp answers its error.
    if (preSignUp.confirmed)
      await postConfirmation(ctx, pool, created.user, {
        source: "PostConfirmation_ConfirmSignUp",
        clientId: client.client.ClientId,
        clientMetadata: input.ClientMetadata,
      });
    // For a client that allows USER_AUTH, the session that signs the user in once confirmed.
    const session = signUpSession(ctx, pool, client, created.user);
    return session ? { ...created.answer, Session: session } : created.answer;
  },
);
