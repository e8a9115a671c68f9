// Live Cognito: the seed's pool and client from the environment. Nothing is created but
// throwaway users (unique prefix, deleted afterwards); sign-ups are confirmed by
// AdminConfirmSignUp, emailed codes come from a pluggable source, and time cannot be moved.
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { ClientConfigError, clientConfigFromEnv } from "../../client/cognito-client.js";
import { noCodes } from "../code-sources.js";
import type { CodeSource, DomainOffer } from "../types.js";
import { runId } from "./emulator.js";
import type { TargetOpening } from "./types.js";

/** Options of the aws target. */
export interface AwsTargetOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where reset codes come from (default: none, so code steps are skipped with a reason). */
  readonly codes?: CodeSource;
  /** Domain of throwaway users' emails (Cognito really sends to them). */
  readonly emailDomain?: string;
  /** An SDK client to use instead of a new one (tests pass a double). */
  readonly sdk?: CognitoIdentityProviderClient;
}

/** Where credentials can come from without touching the network. */
function credentialsPresent(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(
    (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE ||
      env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
  );
}

/** The pool's domain from COGNITO_DOMAIN, for the hosted scenarios; without it they skip. */
function awsDomain(env: Readonly<Record<string, string | undefined>>, issuer: string): DomainOffer {
  const base = env.COGNITO_DOMAIN?.replace(/\/+$/, "");
  if (!base)
    return {
      unavailable:
        "no domain is configured for the aws target: set COGNITO_DOMAIN to the pool's domain (https://<prefix>.auth.<region>.amazoncognito.com) to run the hosted scenarios on live Cognito",
    };
  if (!/^https:\/\/[^/]+$/.test(base))
    return { unavailable: `COGNITO_DOMAIN "${base}" is not a domain's base URL (https://<host>, no path)` };
  return { base, discoveryUrl: `${issuer}/.well-known/openid-configuration` };
}

/** Opens live Cognito from `AWS_REGION`, `COGNITO_USER_POOL_ID`, `COGNITO_APP_CLIENT_ID`, ... */
export async function openAwsTarget(options: AwsTargetOptions): Promise<TargetOpening> {
  const { env } = options;
  let config;
  try {
    config = clientConfigFromEnv({ ...env, COGNITO_ENDPOINT: undefined });
  } catch (e) {
    if (e instanceof ClientConfigError)
      return { available: false, reason: `--target aws reads the seed's variables: ${e.message}` };
    throw e;
  }
  if (!credentialsPresent(env)) {
    return {
      available: false,
      reason:
        "--target aws needs AWS credentials in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE); none found",
    };
  }
  const sdk =
    options.sdk ??
    new CognitoIdentityProviderClient({
      region: config.region,
      ...(config.credentials ? { credentials: config.credentials } : {}),
    });
  const id = runId();
  const ignored = env.COGNITO_ENDPOINT
    ? ` (COGNITO_ENDPOINT ${env.COGNITO_ENDPOINT} ignored: use --target url for an emulator)`
    : "";
  const issuer = `https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`;
  return {
    available: true,
    target: {
      name: "aws",
      description: `live Cognito ${config.region}, pool ${config.userPoolId}, client ${config.clientId}${config.clientSecret ? " (with secret)" : ""}${ignored}`,
      region: config.region,
      poolId: config.userPoolId,
      clientId: config.clientId,
      ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}),
      cognito: sdk,
      codes:
        options.codes ??
        noCodes(
          "live Cognito emails its codes and none can be read here: pass --code-source prompt or --code-source command:<cmd> to supply them",
        ),
      issuer,
      jwksUrl: `${issuer}/.well-known/jwks.json`,
      domain: awsDomain(env, issuer),
      // The functions would have to be deployed to Lambda (and Cognito allowed to invoke them).
      triggers: async () => ({
        unavailable:
          "the trigger scenarios' functions (scenarios/triggers/handlers.mjs) are not deployed to Lambda by the aws target",
      }),
      confirmation: "admin",
      userPrefix: `cognito-twin-scn-${id}-`,
      emailDomain: options.emailDomain ?? env.SCENARIO_EMAIL_DOMAIN ?? "example.com",
      async close() {
        if (!options.sdk) sdk.destroy();
      },
    },
  };
}
