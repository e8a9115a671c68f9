// Passkeys: a scratch pool with the seed guide's settings that allows WEB_AUTHN as a first factor,
// with a relying party of its own, and a client allowing USER_AUTH. The user signs in with the
// password, registers a passkey made by the software authenticator (test-support/soft-authenticator.ts:
// real keys and CBOR, the JSON a browser sends), sees it listed, signs in with it through USER_AUTH
// (PREFERRED_CHALLENGE WEB_AUTHN, no password), sees a replayed assertion refused, and deletes it.
// The pool is deleted at the end (its users with it).
import {
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolClientCommand,
  DeleteWebAuthnCredentialCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  StartWebAuthnRegistrationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  type CreationOptionsJson,
  type RequestOptionsJson,
  SoftAuthenticator,
} from "../test-support/soft-authenticator.js";
import { check, equal, fails, ok } from "./expect.js";
import { attempt } from "./helpers.js";
import { seedGuidePool } from "./seed-pool.js";
import { confirmedUser, type ScratchPool, tokens, withOwnPool } from "./srp-mfa.js";
import type { Scenario, ScenarioContext } from "./types.js";

/** The relying party of the scratch pool: no browser goes there, the software authenticator claims it. */
const RP_ID = "passkeys.scenarios.example";

async function passkeySignIn(ctx: ScenarioContext, pool: ScratchPool, clientId: string) {
  const user = await ctx.step("make a confirmed user and sign in with the password", async () => {
    const made = await confirmedUser(ctx, pool);
    const signedIn = ok(
      await attempt(() =>
        ctx.cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: made.email, PASSWORD: made.password },
          }),
        ),
      ),
      "InitiateAuth USER_PASSWORD_AUTH",
    );
    return { ...made, accessToken: signedIn.AuthenticationResult!.AccessToken! };
  });
  const authenticator = new SoftAuthenticator({ origin: `https://${RP_ID}`, attachment: "platform" });
  const credentialId = await ctx.step("register a passkey (Start, the authenticator, Complete)", async () => {
    const started = await attempt(() =>
      ctx.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: user.accessToken })),
    );
    const options = ok(started, "StartWebAuthnRegistration")
      .CredentialCreationOptions as unknown as CreationOptionsJson;
    equal(options.rp.id, RP_ID, "CredentialCreationOptions rp.id");
    const credential = authenticator.create(options);
    ok(
      await attempt(() =>
        ctx.cognito.send(
          new CompleteWebAuthnRegistrationCommand({ AccessToken: user.accessToken, Credential: credential as never }),
        ),
      ),
      "CompleteWebAuthnRegistration",
    );
    const listed = ok(
      await attempt(() => ctx.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: user.accessToken }))),
      "ListWebAuthnCredentials",
    );
    equal(listed.Credentials?.map((c) => c.CredentialId).join(","), credential.id as string, "the listed passkey");
    equal(listed.Credentials?.[0]?.RelyingPartyId, RP_ID, "its RelyingPartyId");
    return credential.id as string;
  });
  const assertion = await ctx.step("sign in with the passkey: USER_AUTH, WEB_AUTHN, no password", async () => {
    const started = await attempt(() =>
      ctx.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_AUTH",
          AuthParameters: { USERNAME: user.email, PREFERRED_CHALLENGE: "WEB_AUTHN" },
        }),
      ),
    );
    if (!started.ok && /USER_AUTH flow is not supported/.test(started.error.message))
      ctx.skip(`the target does not serve USER_AUTH: ${started.error.message}`);
    const out = ok(started, "InitiateAuth USER_AUTH");
    equal(out.ChallengeName, "WEB_AUTHN", "InitiateAuth ChallengeName");
    const options = JSON.parse(out.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? "null") as RequestOptionsJson;
    check(options?.challenge, "WEB_AUTHN came without CREDENTIAL_REQUEST_OPTIONS");
    equal(options.rpId, RP_ID, "CREDENTIAL_REQUEST_OPTIONS rpId");
    const credential = JSON.stringify(authenticator.get(options));
    const answered = await attempt(() =>
      ctx.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "WEB_AUTHN",
          Session: out.Session,
          ChallengeResponses: { USERNAME: user.email, CREDENTIAL: credential },
        }),
      ),
    );
    const access = tokens(answered, "WEB_AUTHN answer");
    ok(await attempt(() => ctx.cognito.send(new GetUserCommand({ AccessToken: access }))), "GetUser");
    return { session: out.Session, credential };
  });
  await ctx.step("a replayed assertion is refused", async () => {
    fails(
      await attempt(() =>
        ctx.cognito.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: "WEB_AUTHN",
            Session: assertion.session,
            ChallengeResponses: { USERNAME: user.email, CREDENTIAL: assertion.credential },
          }),
        ),
      ),
      "NotAuthorizedException",
    );
  });
  await ctx.step("delete the passkey: none listed", async () => {
    ok(
      await attempt(() =>
        ctx.cognito.send(
          new DeleteWebAuthnCredentialCommand({ AccessToken: user.accessToken, CredentialId: credentialId }),
        ),
      ),
      "DeleteWebAuthnCredential",
    );
    const listed = ok(
      await attempt(() => ctx.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: user.accessToken }))),
      "ListWebAuthnCredentials",
    );
    equal(listed.Credentials?.length, 0, "passkeys left");
  });
}

/** The passkey scenario. */
export const passkeyScenarios: readonly Scenario[] = [
  {
    name: "passkey-sign-in",
    description: "register a passkey (software authenticator) and sign in with it through USER_AUTH",
    run: (ctx) =>
      withOwnPool(
        ctx,
        { MfaConfiguration: "OFF", WebAuthnConfiguration: { RelyingPartyId: RP_ID, UserVerification: "preferred" } },
        async (pool) => {
          const clientId = await ctx.step("make a client allowing USER_AUTH", async () => {
            const made = await attempt(() =>
              ctx.cognito.send(
                new CreateUserPoolClientCommand({
                  UserPoolId: pool.poolId,
                  ClientName: "scenarios-passkeys",
                  ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                }),
              ),
            );
            return ok(made, "CreateUserPoolClient").UserPoolClient!.ClientId!;
          });
          await passkeySignIn(ctx, pool, clientId);
        },
        {
          Policies: {
            ...seedGuidePool("passkeys").Policies,
            SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] },
          },
        },
      ),
  },
];
