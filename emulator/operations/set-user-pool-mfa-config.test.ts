// SetUserPoolMfaConfig's refusal of MFA ON or OPTIONAL with no factor, through SDK v3. Found by
// the moto run (docs/moto-suite.md): the text is Cognito's own, as users quote it
// (docs/decisions/0030-moto-suite.md), not moto's or an invented one.
import { SetUserPoolMfaConfigCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect } from "vitest";
import { authTest as it } from "../../test-support/fixtures.js";

const NO_FACTOR = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.";

describe("SetUserPoolMfaConfig without a factor", () => {
  for (const mode of ["ON", "OPTIONAL"] as const) {
    it(`refuses MfaConfiguration ${mode} with Cognito's message`, async ({ t, poolId }) => {
      const err = await t.cognito
        .send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: mode }))
        .catch((e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode?: number } });
      expect(err).toMatchObject({ name: "InvalidParameterException", message: NO_FACTOR });
      expect((err as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode).toBe(400);
    });
  }

  it("refuses a disabled software token as the only factor, and accepts OFF", async ({ t, poolId }) => {
    await expect(
      t.cognito.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: poolId,
          MfaConfiguration: "ON",
          SoftwareTokenMfaConfiguration: { Enabled: false },
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterException", message: NO_FACTOR });
    const off = await t.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: "OFF" }));
    expect(off.MfaConfiguration).toBe("OFF");
  });
});
