// Remembered devices ("remember this device"): a scratch pool with the seed guide's settings,
// TOTP MFA (optional, so it runs on every target without an SNS role) and device tracking on the
// user's prompt with MFA skipped on remembered devices. The user enrols an authenticator, signs in
// with the code, confirms the device handed out (ConfirmDevice with the device's own SRP
// verifier, as amazon-cognito-identity-js makes it in srp.ts) and remembers it; then the next SRP
// sign-in with DEVICE_KEY is proved with DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER and asks for
// no code, and once the device is forgotten the code is asked for again. The pool is deleted at
// the end (its users with it).
import {
  AssociateSoftwareTokenCommand,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  ListDevicesCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  UpdateDeviceStatusCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { totpCode } from "../emulator/crypto/totp.js";
import { check, equal, fails, ok } from "./expect.js";
import { attempt, claims } from "./helpers.js";
import { type DeviceSecret, deviceAnswer, newDeviceSecret, SrpClient } from "./srp.js";
import {
  answer,
  challenge,
  confirmedUser,
  nextTotpStep,
  now,
  type ScratchPool,
  type ScratchUser,
  srpSignIn,
  tokens,
  withOwnPool,
} from "./srp-mfa.js";
import type { Scenario, ScenarioContext } from "./types.js";

/** TOTP MFA for users who turn it on, and devices remembered on the user's prompt that skip MFA. */
const MFA = { MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } } as const;
const DEVICES = { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } };

/** A user with TOTP on, signed in with a code on a new device, which is confirmed and remembered. */
interface RememberedDevice {
  readonly user: ScratchUser;
  readonly secret: string;
  readonly device: DeviceSecret;
  readonly accessToken: string;
}

async function rememberDevice(ctx: ScenarioContext, pool: ScratchPool): Promise<RememberedDevice> {
  const user = await ctx.step("make a confirmed user", () => confirmedUser(ctx, pool));
  const first = await ctx.step("sign in (no MFA yet)", async () =>
    tokens(await srpSignIn(ctx, pool, user.email, user.password), "USER_SRP_AUTH"),
  );
  const secret = await ctx.step("enrol an authenticator and turn TOTP on", async () => {
    const associated = ok(
      await attempt(() => ctx.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: first }))),
      "AssociateSoftwareToken",
    );
    const code = totpCode(associated.SecretCode!, now(ctx));
    ok(
      await attempt(() => ctx.cognito.send(new VerifySoftwareTokenCommand({ AccessToken: first, UserCode: code }))),
      "VerifySoftwareToken",
    );
    ok(
      await attempt(() =>
        ctx.cognito.send(
          new SetUserMFAPreferenceCommand({
            AccessToken: first,
            SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
          }),
        ),
      ),
      "SetUserMFAPreference",
    );
    return associated.SecretCode!;
  });
  await nextTotpStep(ctx);
  const signedIn = await ctx.step("sign in with the code: the answer hands out a new device", async () => {
    const asked = challenge(
      await srpSignIn(ctx, pool, user.email, user.password),
      "SOFTWARE_TOKEN_MFA",
      "PASSWORD_VERIFIER answer",
    );
    const out = ok(
      await answer(ctx, pool, user, "SOFTWARE_TOKEN_MFA", asked.session, {
        SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, now(ctx)),
      }),
      "SOFTWARE_TOKEN_MFA answer",
    );
    const meta = out.AuthenticationResult?.NewDeviceMetadata;
    check(meta?.DeviceKey && meta.DeviceGroupKey, "the sign-in answered no NewDeviceMetadata");
    check(/^[\w-]+_[0-9a-f-]+$/.test(meta.DeviceKey), `DeviceKey ${meta.DeviceKey} is not <region>_<uuid>`);
    const access = out.AuthenticationResult!.AccessToken!;
    equal(claims(access).device_key, meta.DeviceKey, "access token device_key");
    return { access, device: newDeviceSecret(meta.DeviceKey, meta.DeviceGroupKey) };
  });
  await ctx.step("ConfirmDevice, then UpdateDeviceStatus remembered (the pool asks the user)", async () => {
    const confirmed = ok(
      await attempt(() =>
        ctx.cognito.send(
          new ConfirmDeviceCommand({
            AccessToken: signedIn.access,
            DeviceKey: signedIn.device.deviceKey,
            DeviceSecretVerifierConfig: signedIn.device.verifierConfig,
            DeviceName: "scenario device",
          }),
        ),
      ),
      "ConfirmDevice",
    );
    equal(confirmed.UserConfirmationNecessary, true, "UserConfirmationNecessary");
    ok(
      await attempt(() =>
        ctx.cognito.send(
          new UpdateDeviceStatusCommand({
            AccessToken: signedIn.access,
            DeviceKey: signedIn.device.deviceKey,
            DeviceRememberedStatus: "remembered",
          }),
        ),
      ),
      "UpdateDeviceStatus",
    );
    const listed = ok(
      await attempt(() => ctx.cognito.send(new ListDevicesCommand({ AccessToken: signedIn.access }))),
      "ListDevices",
    );
    equal(
      listed.Devices?.map((d) => d.DeviceKey).join(","),
      signedIn.device.deviceKey,
      "ListDevices lists the remembered device",
    );
  });
  return { user, secret, device: signedIn.device, accessToken: signedIn.access };
}

/** DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER, as CognitoUser.getDeviceResponse answers them. */
async function proveDevice(
  ctx: ScenarioContext,
  pool: ScratchPool,
  user: ScratchUser,
  device: DeviceSecret,
  session: string,
): Promise<string> {
  const srp = new SrpClient(pool.poolId, { realm: device.groupKey });
  const verifier = challenge(
    await answer(ctx, pool, user, "DEVICE_SRP_AUTH", session, { DEVICE_KEY: device.deviceKey, SRP_A: srp.A }),
    "DEVICE_PASSWORD_VERIFIER",
    "DEVICE_SRP_AUTH answer",
  );
  for (const p of ["SALT", "SRP_B", "SECRET_BLOCK"])
    check(verifier.parameters[p], `DEVICE_PASSWORD_VERIFIER has no ${p}`);
  const responses = deviceAnswer(srp, device, user.username, verifier.parameters);
  const out = ok(
    await attempt(() =>
      ctx.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: pool.clientId,
          ChallengeName: "DEVICE_PASSWORD_VERIFIER",
          Session: verifier.session,
          ChallengeResponses: { ...responses, ...pool.hash(user.username) },
        }),
      ),
    ),
    "DEVICE_PASSWORD_VERIFIER answer",
  );
  check(!out.AuthenticationResult?.NewDeviceMetadata, "a device sign-in was handed a new device");
  return tokens({ ok: true, value: out }, "DEVICE_PASSWORD_VERIFIER answer");
}

const rememberedDeviceSkipsMfa: Scenario = {
  name: "remembered-device-skips-mfa",
  description:
    "remember this device: TOTP sign-in, ConfirmDevice with the device's SRP verifier, UpdateDeviceStatus remembered; the next SRP sign-in with DEVICE_KEY proves the device (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) and asks for no code",
  async run(ctx) {
    await withOwnPool(
      ctx,
      MFA,
      async (pool) => {
        const { user, device } = await rememberDevice(ctx, pool);
        await ctx.step("SRP sign-in with DEVICE_KEY: DEVICE_SRP_AUTH instead of the code, then tokens", async () => {
          const asked = challenge(
            await srpSignIn(ctx, pool, user.email, user.password, device.deviceKey),
            "DEVICE_SRP_AUTH",
            "PASSWORD_VERIFIER answer",
          );
          const access = await proveDevice(ctx, pool, user, device, asked.session);
          equal(claims(access).device_key, device.deviceKey, "access token device_key");
        });
      },
      DEVICES,
    );
  },
};

const forgottenDeviceAsksForMfa: Scenario = {
  name: "forgotten-device-asks-for-mfa",
  description:
    "forget the device: after ForgetDevice its DEVICE_KEY is ResourceNotFoundException Device does not exist., and the SRP sign-in asks for the TOTP code again",
  async run(ctx) {
    await withOwnPool(
      ctx,
      MFA,
      async (pool) => {
        const { user, device, accessToken } = await rememberDevice(ctx, pool);
        await ctx.step("ForgetDevice", async () => {
          ok(
            await attempt(() =>
              ctx.cognito.send(new ForgetDeviceCommand({ AccessToken: accessToken, DeviceKey: device.deviceKey })),
            ),
            "ForgetDevice",
          );
        });
        await ctx.step("SRP sign-in with the forgotten DEVICE_KEY is refused", async () => {
          fails(
            await srpSignIn(ctx, pool, user.email, user.password, device.deviceKey),
            "ResourceNotFoundException",
            "Device does not exist.",
          );
        });
        await ctx.step("SRP sign-in without it asks for the code again", async () => {
          challenge(
            await srpSignIn(ctx, pool, user.email, user.password),
            "SOFTWARE_TOKEN_MFA",
            "PASSWORD_VERIFIER answer",
          );
        });
      },
      DEVICES,
    );
  },
};

/** The remembered-device scenarios, in run order. */
export const deviceScenarios: readonly Scenario[] = [rememberedDeviceSkipsMfa, forgottenDeviceAsksForMfa];
