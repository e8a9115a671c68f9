// App clients created with only the legacy ExplicitAuthFlows names (ADMIN_NO_SRP_AUTH,
// USER_PASSWORD_AUTH) keep USER_SRP_AUTH, as moto's AWS-verified tests show real Cognito doing
// (docs/decisions/0030-moto-suite.md); CUSTOM_AUTH_FLOW_ONLY and any ALLOW_ list do not.
import { InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect } from "vitest";
import { SrpClient } from "../../scenarios/srp.js";
import { createClient } from "../../test-support/auth-fixtures.js";
import { authTest as it } from "../../test-support/fixtures.js";

describe("legacy ExplicitAuthFlows", () => {
  for (const legacy of [["ADMIN_NO_SRP_AUTH"], ["USER_PASSWORD_AUTH"], ["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"]]) {
    it(`${legacy.join(" + ")} alone keeps USER_SRP_AUTH`, async ({ t, poolId, username }) => {
      const { clientId } = await createClient(t, poolId, { ExplicitAuthFlows: legacy as never });
      const srp = new SrpClient(poolId);
      const res = await t.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_SRP_AUTH",
          AuthParameters: { USERNAME: username, SRP_A: srp.A },
        }),
      );
      expect(res.ChallengeName).toBe("PASSWORD_VERIFIER");
    });
  }

  for (const flows of [["CUSTOM_AUTH_FLOW_ONLY"], ["ALLOW_ADMIN_USER_PASSWORD_AUTH"]]) {
    it(`${flows[0]} leaves USER_SRP_AUTH off`, async ({ t, poolId, username }) => {
      const { clientId } = await createClient(t, poolId, { ExplicitAuthFlows: flows as never });
      await expect(
        t.cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_SRP_AUTH",
            AuthParameters: { USERNAME: username, SRP_A: new SrpClient(poolId).A },
          }),
        ),
      ).rejects.toMatchObject({
        name: "InvalidParameterException",
        message: "USER_SRP_AUTH flow not enabled for this client",
      });
    });
  }
});
