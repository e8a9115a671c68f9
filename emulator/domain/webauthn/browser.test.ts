// Passkeys in a real browser: headless Chromium (test-support/chromium.ts) with a virtual
// authenticator (DevTools protocol WebAuthn.enable + WebAuthn.addVirtualAuthenticator), on a small
// page this test serves at http://localhost:<port> (RP ID `localhost`). The page calls the
// emulator's API itself with fetch, as a browser app does (CORS): StartWebAuthnRegistration,
// navigator.credentials.create, CompleteWebAuthnRegistration; then InitiateAuth USER_AUTH with
// PREFERRED_CHALLENGE WEB_AUTHN, navigator.credentials.get and RespondToAuthChallenge. Then the
// same through Amplify v6, bundled for the page with esbuild (associateWebAuthnCredential, signIn
// with USER_AUTH and WEB_AUTHN, listWebAuthnCredentials, deleteWebAuthnCredential). Last, the
// software authenticator of the quick tests (test-support/soft-authenticator.ts) is checked
// against what Chromium sent: the same members, client data, flags, counter, attestation format
// and key type, and both accepted alike.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CompleteWebAuthnRegistrationCommand,
  ListWebAuthnCredentialsCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  cose,
  decodeAttestationObject,
  decodeCredentialPublicKey,
  isoBase64URL,
  parseAuthenticatorData,
} from "@simplewebauthn/server/helpers";
import { build } from "esbuild";
import type { CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimsOf, createClient, createPool, createUser, signIn } from "../../../test-support/auth-fixtures.js";
import { requireChromiumUnlessLocal, useChromium } from "../../../test-support/chromium.js";
import { type CreationOptionsJson, SoftAuthenticator } from "../../../test-support/soft-authenticator.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";

const SUITE = "emulator/domain/webauthn/browser.test.ts";
const runs = requireChromiumUnlessLocal(SUITE);

let t: TestTwin;
let pageServer: Server;
let origin: string;
let page: Page;
let cdp: CDPSession;

/** What the page runs: the emulator's API through fetch, and the WebAuthn calls of a browser app. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>passkeys</title><body>
<script src="/amplify.js"></script>
<script>
  async function cognito(endpoint, operation, input) {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService." + operation,
      },
      body: JSON.stringify(input),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body.__type + ": " + body.message);
    return body;
  }
  window.registerPasskey = async (endpoint, accessToken) => {
    const { CredentialCreationOptions } = await cognito(endpoint, "StartWebAuthnRegistration", { AccessToken: accessToken });
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(CredentialCreationOptions);
    const credential = (await navigator.credentials.create({ publicKey })).toJSON();
    await cognito(endpoint, "CompleteWebAuthnRegistration", { AccessToken: accessToken, Credential: credential });
    return { options: CredentialCreationOptions, credential };
  };
  window.signInWithPasskey = async (endpoint, clientId, username) => {
    const started = await cognito(endpoint, "InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_AUTH",
      AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: "WEB_AUTHN" },
    });
    const options = JSON.parse(started.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS);
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options);
    const credential = (await navigator.credentials.get({ publicKey })).toJSON();
    const out = await cognito(endpoint, "RespondToAuthChallenge", {
      ClientId: clientId,
      ChallengeName: "WEB_AUTHN",
      Session: started.Session,
      ChallengeResponses: { USERNAME: username, CREDENTIAL: JSON.stringify(credential) },
    });
    return { challenge: started.ChallengeName, credential, out };
  };
</script>`;

describe.runIf(runs)("passkeys in Chromium with a virtual authenticator", () => {
  const chromium = useChromium(SUITE);

  beforeAll(async () => {
    t = await startTwin();
    // Amplify v6 for the browser, bundled as an app would bundle it (esbuild, about 0.3 s).
    const bundle = await build({
      stdin: {
        contents:
          'import { Amplify } from "aws-amplify"; import * as auth from "aws-amplify/auth"; window.amplify = { Amplify, ...auth };',
        resolveDir: process.cwd(),
        loader: "js",
      },
      bundle: true,
      platform: "browser",
      format: "iife",
      target: "chrome120",
      write: false,
      logLevel: "warning",
    });
    const amplifyJs = bundle.outputFiles[0]!.text;
    pageServer = createServer((req, res) => {
      const script = req.url === "/amplify.js";
      res.writeHead(200, { "content-type": script ? "text/javascript" : "text/html; charset=utf-8" });
      res.end(script ? amplifyJs : PAGE);
    });
    await new Promise<void>((resolve) => pageServer.listen(0, "127.0.0.1", resolve));
    origin = `http://localhost:${(pageServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    if (pageServer) await new Promise((resolve) => pageServer.close(resolve));
    await t?.close();
  });

  /** A fresh page with a fresh virtual authenticator (a platform one that verifies the user). */
  async function openPage(): Promise<string> {
    page = await chromium.newPage();
    // The virtual authenticator is this suite's own: a CDP session on the page's target.
    cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.goto(`${origin}/`);
    return authenticatorId;
  }

  /** A pool whose passkeys belong to `localhost`, a client, and a signed-in user. */
  async function passkeyPool(username: string) {
    const poolId = await createPool(t, {
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } },
    });
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification: "required" },
      }),
    );
    const { clientId } = await createClient(t, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    await createUser(t, poolId, username);
    const { AccessToken } = await signIn(t, clientId, username);
    return { poolId, clientId, accessToken: AccessToken };
  }

  it("registers a passkey and signs in with it; the counter follows the authenticator's", async () => {
    const authenticatorId = await openPage();
    const { poolId, clientId, accessToken } = await passkeyPool("chromium");
    const registered = await page.evaluate(
      ([url, token]) => (globalThis as unknown as PasskeyPage).registerPasskey(url!, token!),
      [t.url, accessToken],
    );
    const id = registered.credential.id as string;

    const listed = await t.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }));
    expect(listed.Credentials).toHaveLength(1);
    expect(listed.Credentials![0]).toMatchObject({
      CredentialId: id,
      RelyingPartyId: "localhost",
      AuthenticatorAttachment: "platform",
      AuthenticatorTransports: ["internal"],
    });

    for (let i = 0; i < 2; i++) {
      const { challenge, out } = await page.evaluate(
        ([url, client]) => (globalThis as unknown as PasskeyPage).signInWithPasskey(url!, client!, "chromium"),
        [t.url, clientId],
      );
      expect(challenge).toBe("WEB_AUTHN");
      expect(claimsOf(out.AuthenticationResult.AccessToken as string)).toMatchObject({ username: "chromium" });
    }
    // The virtual authenticator's signature counter and the one the emulator keeps agree.
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    const stored = t.twin.services.store.getUser(poolId, "chromium")!.webAuthnCredentials![0]!;
    expect(credentials).toHaveLength(1);
    expect(stored.counter).toBe(credentials[0]!.signCount);
    expect(stored.counter).toBeGreaterThan(0);
  });

  it("Amplify v6 in the page: associateWebAuthnCredential, signIn with USER_AUTH and WEB_AUTHN, list, delete", async () => {
    await openPage();
    const { clientId, poolId } = await passkeyPool("amplify");
    const result = await page.evaluate(
      async ([userPoolId, userPoolClientId, userPoolEndpoint]) => {
        const amplify = (globalThis as unknown as { amplify: AmplifyInPage }).amplify;
        amplify.Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint } } });
        const signedIn = await amplify.signIn({
          username: "amplify",
          password: "Passw0rd!",
          options: { authFlowType: "USER_PASSWORD_AUTH" },
        });
        await amplify.associateWebAuthnCredential();
        await amplify.signOut();
        // Signed out, back in with the passkey alone: USER_AUTH with WEB_AUTHN preferred.
        const withPasskey = await amplify.signIn({
          username: "amplify",
          options: { authFlowType: "USER_AUTH", preferredChallenge: "WEB_AUTHN" },
        });
        const session = await amplify.fetchAuthSession();
        const listed = await amplify.listWebAuthnCredentials();
        await amplify.deleteWebAuthnCredential({ credentialId: listed.credentials[0]!.credentialId });
        const after = await amplify.listWebAuthnCredentials();
        await amplify.signOut();
        return {
          signedIn: signedIn.isSignedIn,
          withPasskey: withPasskey.isSignedIn,
          username: session.tokens?.accessToken.payload.username,
          listed: JSON.parse(JSON.stringify(listed)),
          after: after.credentials,
        };
      },
      [poolId, clientId, t.url] as const,
    );
    expect(result.signedIn).toBe(true);
    expect(result.withPasskey).toBe(true);
    expect(result.username).toBe("amplify");
    expect(result.listed.credentials).toHaveLength(1);
    expect(result.listed.credentials[0]).toMatchObject({
      friendlyCredentialName: "Platform authenticator",
      relyingPartyId: "localhost",
      authenticatorAttachment: "platform",
      authenticatorTransports: ["internal"],
    });
    expect(result.after).toEqual([]);
  });

  it("the software authenticator writes what Chromium writes, and is taken alike", async () => {
    await openPage();
    const { accessToken } = await passkeyPool("compare");
    const browserSide = await page.evaluate(
      ([url, token]) => (globalThis as unknown as PasskeyPage).registerPasskey(url!, token!),
      [t.url, accessToken],
    );
    const soft = new SoftAuthenticator({ origin, attachment: "platform", transports: ["internal"] });
    const started = await t.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
    const options = started.CredentialCreationOptions as unknown as CreationOptionsJson;
    const softSide = soft.create(options);
    await t.cognito.send(
      new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: softSide as never }),
    );

    const shape = (credential: Record<string, unknown>) => {
      const response = credential.response as Record<string, string>;
      const clientData = JSON.parse(Buffer.from(response.clientDataJSON!, "base64url").toString("utf8")) as Record<
        string,
        unknown
      >;
      const attestation = decodeAttestationObject(isoBase64URL.toBuffer(response.attestationObject!));
      const authData = parseAuthenticatorData(attestation.get("authData"));
      const key = decodeCredentialPublicKey(authData.credentialPublicKey!);
      return {
        members: Object.keys(credential).sort(),
        responseMembers: Object.keys(response).sort(),
        type: credential.type,
        attachment: credential.authenticatorAttachment,
        clientData: { type: clientData.type, origin: clientData.origin, crossOrigin: clientData.crossOrigin },
        fmt: attestation.get("fmt"),
        attStmtSize: attestation.get("attStmt").size,
        flags: { up: authData.flags.up, uv: authData.flags.uv, at: authData.flags.at, ed: authData.flags.ed },
        counter: authData.counter,
        alg: key.get(cose.COSEKEYS.alg),
        kty: key.get(cose.COSEKEYS.kty),
        publicKeyAlgorithm: (credential.response as Record<string, unknown>).publicKeyAlgorithm,
        transports: (credential.response as Record<string, unknown>).transports,
      };
    };
    const chromium = shape(browserSide.credential as Record<string, unknown>);
    const node = shape(softSide);
    // Chromium's toJSON() also reports the SPKI public key; the software one leaves it out.
    expect({ ...node, responseMembers: undefined }).toEqual({ ...chromium, responseMembers: undefined });
    expect(chromium.responseMembers.filter((m) => m !== "publicKey")).toEqual(node.responseMembers);
    const listed = await t.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }));
    const [a, b] = listed.Credentials!;
    expect({ ...a, CredentialId: "", CreatedAt: undefined }).toEqual({ ...b, CredentialId: "", CreatedAt: undefined });
  });
});

/** The part of Amplify v6 the page's bundle exposes (as `window.amplify`) that the tests call. */
interface AmplifyInPage {
  Amplify: { configure(config: unknown): void };
  signIn(input: unknown): Promise<{ isSignedIn: boolean; nextStep: unknown }>;
  confirmSignIn(input: unknown): Promise<{ isSignedIn: boolean; nextStep: unknown }>;
  signOut(): Promise<void>;
  fetchAuthSession(): Promise<{ tokens?: { accessToken: { payload: Record<string, unknown> } } }>;
  associateWebAuthnCredential(): Promise<void>;
  listWebAuthnCredentials(): Promise<{ credentials: { credentialId: string }[]; nextToken?: string }>;
  deleteWebAuthnCredential(input: { credentialId: string }): Promise<void>;
}

/** What the page's script defines on its window. */
interface PasskeyPage {
  registerPasskey(
    endpoint: string,
    accessToken: string,
  ): Promise<{ options: unknown; credential: Record<string, unknown> }>;
  signInWithPasskey(
    endpoint: string,
    clientId: string,
    username: string,
  ): Promise<{
    challenge: string;
    credential: Record<string, unknown>;
    out: { AuthenticationResult: Record<string, unknown> };
  }>;
}
