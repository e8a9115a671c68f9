// Shared test wiring: the real createApp behind a real port, and SDK v3 clients pointed at it.
// Tests that only need the protocol can use `twin.app.request()` directly instead.
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { type CreateAppOptions, createApp, type TwinApp } from "../emulator/app.js";
import type { TwinConfig } from "../emulator/config.js";
import { listen, type RunningServer } from "../emulator/http/server.js";

/** A running emulator for one test file. */
export interface TestTwin {
  twin: TwinApp;
  server: RunningServer;
  url: string;
  /** SDK v3 client with dummy credentials (admin calls are SigV4-signed with them). */
  cognito: CognitoIdentityProviderClient;
  close(): Promise<void>;
}

/** Starts createApp on 127.0.0.1:0 with the log silenced. */
export async function startTwin(config: Partial<TwinConfig> = {}, options: CreateAppOptions = {}): Promise<TestTwin> {
  const twin = await createApp({ logLevel: "silent", ...config }, options);
  const server = await listen(twin, { host: "127.0.0.1", port: 0 });
  const cognito = sdkClient(server.url, config.region ?? "us-east-1");
  return {
    twin,
    server,
    url: server.url,
    cognito,
    close: async () => {
      cognito.destroy();
      await server.close();
      await twin.close();
    },
  };
}

/** An SDK v3 client for an emulator URL. */
export function sdkClient(url: string, region = "us-east-1"): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region,
    endpoint: url,
    credentials: { accessKeyId: "AKIDTWINTEST", secretAccessKey: "twin-test-secret" },
    maxAttempts: 1,
  });
}

/** A SigV4-looking Authorization header for `app.request()` calls to signed operations. */
export function fakeSigV4(region = "us-east-1"): string {
  return `AWS4-HMAC-SHA256 Credential=AKIDTWINTEST/20260101/${region}/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${"0".repeat(64)}`;
}

/** Calls an operation in-process through `app.request()`; returns status, body and headers. */
export async function call(twin: TwinApp, operation: string, input: unknown, headers: Record<string, string> = {}) {
  const res = await twin.app.request("/", {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
      authorization: fakeSigV4(),
      ...headers,
    },
    body: typeof input === "string" ? input : JSON.stringify(input),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
