// The seed guide's CognitoClient, in TypeScript: one method per user-facing Cognito call, each
// answering a typed result instead of throwing, so routes can map Cognito's error type to a status.
import { createHmac } from "node:crypto";
import {
  ChangePasswordCommand,
  type CodeDeliveryDetailsType,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";

/** Where and as whom the client talks to Cognito. */
export interface CognitoClientConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** Set for app clients with a secret: every call then carries SECRET_HASH. */
  readonly clientSecret?: string;
  /** The emulator's URL (`COGNITO_ENDPOINT`); absent for real Cognito. */
  readonly endpoint?: string;
  /** Explicit keys; absent means the SDK's default chain (only admin calls need any). */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

/** A setting that is missing or unusable; the message names the variable. */
export class ClientConfigError extends Error {
  override readonly name = "ClientConfigError";
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/**
 * Reads the seed's variables (`AWS_REGION`, `COGNITO_USER_POOL_ID`, `COGNITO_APP_CLIENT_ID`,
 * optional `COGNITO_APP_CLIENT_SECRET`, `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/
 * `AWS_SESSION_TOKEN`) plus `COGNITO_ENDPOINT` from the given environment.
 *
 * @example
 * const config = clientConfigFromEnv(process.env);
 */
export function clientConfigFromEnv(env: Readonly<Record<string, string | undefined>>): CognitoClientConfig {
  const missing = ["COGNITO_USER_POOL_ID", "COGNITO_APP_CLIENT_ID"].filter((k) => !env[k]);
  // The pool id starts with its region, so AWS_REGION may be left out.
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || env.COGNITO_USER_POOL_ID?.split("_")[0];
  if (!region) missing.unshift("AWS_REGION");
  if (missing.length > 0)
    throw new ClientConfigError(`missing environment variable${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`);
  if (!REGION.test(region!))
    throw new ClientConfigError(`AWS_REGION "${region}" is not an AWS region name (like us-east-1)`);
  const endpoint = env.COGNITO_ENDPOINT ? checkedUrl(env.COGNITO_ENDPOINT) : undefined;
  const keyId = env.AWS_ACCESS_KEY_ID;
  const secretKey = env.AWS_SECRET_ACCESS_KEY;
  if (Boolean(keyId) !== Boolean(secretKey))
    throw new ClientConfigError("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
  return Object.freeze({
    region: region!,
    userPoolId: env.COGNITO_USER_POOL_ID!,
    clientId: env.COGNITO_APP_CLIENT_ID!,
    ...(env.COGNITO_APP_CLIENT_SECRET ? { clientSecret: env.COGNITO_APP_CLIENT_SECRET } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(keyId && secretKey
      ? {
          credentials: {
            accessKeyId: keyId,
            secretAccessKey: secretKey,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
  });
}

function checkedUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ClientConfigError(`COGNITO_ENDPOINT "${value}" is not a URL (like http://127.0.0.1:9229)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ClientConfigError(`COGNITO_ENDPOINT must be http or https, not ${url.protocol}`);
  return value.replace(/\/+$/, "");
}

/** An SDK client for the config: the emulator's endpoint when set, no retries of failed calls. */
function sdkClientFor(config: CognitoClientConfig): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    // A retried SignUp or ConfirmForgotPassword can turn one success into a confusing error.
    maxAttempts: 1,
  });
}

/** What Cognito said when a call failed. */
export interface CognitoFailure {
  /** Cognito's error type (`NotAuthorizedException`, ...), or `NetworkError` when unreachable. */
  readonly type: string;
  readonly message: string;
  /** Cognito's HTTP status (400 for client errors), or 502 when no answer came back. */
  readonly status: number;
}

/** Success with a value, or Cognito's failure. */
export type CognitoResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: CognitoFailure };

/** Where a code went (destination masked by Cognito). */
export interface CodeDelivery {
  readonly destination?: string;
  readonly medium?: string;
  readonly attribute?: string;
}

/** The tokens of a sign-in or a refresh. */
export interface AuthTokens {
  readonly accessToken: string;
  readonly idToken: string;
  /** Absent after a refresh unless the client rotates refresh tokens. */
  readonly refreshToken?: string;
  readonly expiresIn: number;
  readonly tokenType: string;
}

/** A sign-in either ends with tokens or asks for a challenge (which the seed app does not answer). */
export type LoginOutcome =
  | { readonly kind: "tokens"; readonly tokens: AuthTokens }
  | {
      readonly kind: "challenge";
      readonly challengeName: string;
      readonly session?: string;
      readonly parameters: Record<string, string>;
    };

/** A user as GetUser shows it. */
export interface UserProfile {
  readonly username: string;
  readonly attributes: Record<string, string>;
}

/**
 * Cognito calls of the seed app. Every method resolves (never rejects on a Cognito error).
 *
 * @example
 * const cognito = new CognitoAuthClient(clientConfigFromEnv(process.env));
 * const res = await cognito.login("a@example.com", "Passw0rd!");
 * if (!res.ok) console.log(res.error.type);
 */
export class CognitoAuthClient {
  /** The SDK client underneath (shared when passed in, e.g. one with transcript middleware). */
  readonly sdk: CognitoIdentityProviderClient;

  constructor(
    readonly config: CognitoClientConfig,
    options: { sdk?: CognitoIdentityProviderClient } = {},
  ) {
    this.sdk = options.sdk ?? sdkClientFor(config);
  }

  /** SignUp with email as username and the seed's required `name` attribute. */
  signUp(input: {
    email: string;
    password: string;
    name: string;
  }): Promise<CognitoResult<{ userSub: string; confirmed: boolean; delivery?: CodeDelivery }>> {
    return this.run(async () => {
      const out = await this.sdk.send(
        new SignUpCommand({
          ClientId: this.config.clientId,
          Username: input.email,
          Password: input.password,
          UserAttributes: [
            { Name: "email", Value: input.email },
            { Name: "name", Value: input.name },
          ],
          ...this.secretHash(input.email),
        }),
      );
      return {
        userSub: out.UserSub ?? "",
        confirmed: out.UserConfirmed ?? false,
        ...delivery(out.CodeDeliveryDetails),
      };
    });
  }

  /** ConfirmSignUp with the emailed code. */
  confirmSignUp(email: string, code: string): Promise<CognitoResult<void>> {
    return this.run(async () => {
      await this.sdk.send(
        new ConfirmSignUpCommand({
          ClientId: this.config.clientId,
          Username: email,
          ConfirmationCode: code,
          ...this.secretHash(email),
        }),
      );
    });
  }

  /** ResendConfirmationCode: a new sign-up code. */
  resendCode(email: string): Promise<CognitoResult<{ delivery?: CodeDelivery }>> {
    return this.run(async () => {
      const out = await this.sdk.send(
        new ResendConfirmationCodeCommand({
          ClientId: this.config.clientId,
          Username: email,
          ...this.secretHash(email),
        }),
      );
      return delivery(out.CodeDeliveryDetails);
    });
  }

  /** InitiateAuth USER_PASSWORD_AUTH. */
  login(email: string, password: string): Promise<CognitoResult<LoginOutcome>> {
    return this.run(async () => {
      const out = await this.sdk.send(
        new InitiateAuthCommand({
          ClientId: this.config.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: email, PASSWORD: password, ...this.secretHashParam(email) },
        }),
      );
      return outcome(out);
    });
  }

  /**
   * InitiateAuth REFRESH_TOKEN_AUTH. With a client secret, Cognito checks SECRET_HASH against the
   * user's username (the `username` claim, which is the sub in email-as-username pools), so
   * pass it then.
   */
  refresh(refreshToken: string, username?: string): Promise<CognitoResult<AuthTokens>> {
    return this.run(async () => {
      const out = await this.sdk.send(
        new InitiateAuthCommand({
          ClientId: this.config.clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: refreshToken, ...(username ? this.secretHashParam(username) : {}) },
        }),
      );
      const result = outcome(out);
      if (result.kind !== "tokens") throw new UnexpectedAnswer(`refresh answered a ${result.challengeName} challenge`);
      return result.tokens;
    });
  }

  /** GetUser: the user behind an access token (a call to Cognito, unlike local verification). */
  getUser(accessToken: string): Promise<CognitoResult<UserProfile>> {
    return this.run(async () => {
      const out = await this.sdk.send(new GetUserCommand({ AccessToken: accessToken }));
      return {
        username: out.Username ?? "",
        attributes: Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name ?? "", a.Value ?? ""])),
      };
    });
  }

  /** ForgotPassword: emails a reset code. */
  forgotPassword(email: string): Promise<CognitoResult<{ delivery?: CodeDelivery }>> {
    return this.run(async () => {
      const out = await this.sdk.send(
        new ForgotPasswordCommand({ ClientId: this.config.clientId, Username: email, ...this.secretHash(email) }),
      );
      return delivery(out.CodeDeliveryDetails);
    });
  }

  /** ConfirmForgotPassword: the emailed code and the new password. */
  confirmForgotPassword(email: string, code: string, newPassword: string): Promise<CognitoResult<void>> {
    return this.run(async () => {
      await this.sdk.send(
        new ConfirmForgotPasswordCommand({
          ClientId: this.config.clientId,
          Username: email,
          ConfirmationCode: code,
          Password: newPassword,
          ...this.secretHash(email),
        }),
      );
    });
  }

  /** ChangePassword for a signed-in user. */
  changePassword(
    accessToken: string,
    previousPassword: string,
    proposedPassword: string,
  ): Promise<CognitoResult<void>> {
    return this.run(async () => {
      await this.sdk.send(
        new ChangePasswordCommand({
          AccessToken: accessToken,
          PreviousPassword: previousPassword,
          ProposedPassword: proposedPassword,
        }),
      );
    });
  }

  /** GlobalSignOut: revokes every refresh token of the user and their access tokens. */
  signOut(accessToken: string): Promise<CognitoResult<void>> {
    return this.run(async () => {
      await this.sdk.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
    });
  }

  /** RevokeToken: revokes one refresh token and the access tokens minted from it. */
  revoke(refreshToken: string): Promise<CognitoResult<void>> {
    return this.run(async () => {
      await this.sdk.send(
        new RevokeTokenCommand({
          ClientId: this.config.clientId,
          Token: refreshToken,
          ...(this.config.clientSecret ? { ClientSecret: this.config.clientSecret } : {}),
        }),
      );
    });
  }

  private secretHash(username: string): { SecretHash?: string } {
    return this.config.clientSecret
      ? { SecretHash: computeSecretHash(this.config.clientSecret, username, this.config.clientId) }
      : {};
  }

  private secretHashParam(username: string): { SECRET_HASH?: string } {
    return this.config.clientSecret
      ? { SECRET_HASH: computeSecretHash(this.config.clientSecret, username, this.config.clientId) }
      : {};
  }

  private async run<T>(call: () => Promise<T>): Promise<CognitoResult<T>> {
    try {
      return { ok: true, value: await call() };
    } catch (e) {
      return { ok: false, error: toFailure(e) };
    }
  }
}

/** SECRET_HASH: Base64(HMAC-SHA256(client secret, username + client id)). */
export function computeSecretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac("sha256", clientSecret)
    .update(username + clientId)
    .digest("base64");
}

class UnexpectedAnswer extends Error {
  override readonly name = "UnexpectedAnswer";
}

/** Turns whatever the SDK threw into `{type, message, status}`. */
export function toFailure(e: unknown): CognitoFailure {
  const err = e as {
    name?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
    $response?: unknown;
    code?: unknown;
  };
  const status = err.$metadata?.httpStatusCode;
  if (typeof status === "number" && status > 0) {
    return { type: String(err.name ?? "UnknownError"), message: String(err.message ?? ""), status };
  }
  if (e instanceof UnexpectedAnswer) return { type: "UnexpectedAnswer", message: e.message, status: 502 };
  // No HTTP answer at all: connection refused, DNS, TLS. The SDK's own error name is kept in the message.
  const detail = typeof err.code === "string" ? `${err.code}: ` : "";
  return { type: "NetworkError", message: `${detail}${String(err.message ?? e)}`, status: 502 };
}

function delivery(d: CodeDeliveryDetailsType | undefined): { delivery?: CodeDelivery } {
  if (!d) return {};
  return {
    delivery: {
      ...(d.Destination ? { destination: d.Destination } : {}),
      ...(d.DeliveryMedium ? { medium: d.DeliveryMedium } : {}),
      ...(d.AttributeName ? { attribute: d.AttributeName } : {}),
    },
  };
}

function outcome(out: InitiateAuthCommandOutput): LoginOutcome {
  const r = out.AuthenticationResult;
  if (r?.AccessToken && r.IdToken) {
    return {
      kind: "tokens",
      tokens: {
        accessToken: r.AccessToken,
        idToken: r.IdToken,
        ...(r.RefreshToken ? { refreshToken: r.RefreshToken } : {}),
        expiresIn: r.ExpiresIn ?? 3600,
        tokenType: r.TokenType ?? "Bearer",
      },
    };
  }
  if (out.ChallengeName) {
    return {
      kind: "challenge",
      challengeName: out.ChallengeName,
      ...(out.Session ? { session: out.Session } : {}),
      parameters: out.ChallengeParameters ?? {},
    };
  }
  throw new UnexpectedAnswer("InitiateAuth answered neither tokens nor a challenge");
}
