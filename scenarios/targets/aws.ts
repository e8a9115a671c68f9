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
  /**
   * The confirmation that live AWS is meant (`--live`); `COGNITO_TWIN_LIVE=1` in `env` does the
   * same. Without either the target refuses to open.
   */
  readonly live?: boolean;
}

// The environment variable that confirms a live run, like `--live`.
const LIVE_ENV = "COGNITO_TWIN_LIVE";

// Access key ids that emulators' docs and examples use (LocalStack's `test`, this project's
// `local`, moto's `testing`, MinIO's `minioadmin`, ...): with one of them a run is meant for an
// emulator, and real AWS would answer UnrecognizedClientException after a user was half made.
const PLACEHOLDER_WORDS = new Set([
  "local",
  "test",
  "testing",
  "dummy",
  "fake",
  "mock",
  "foo",
  "bar",
  "x",
  "xxx",
  "key",
  "secret",
  "none",
  "null",
  "changeme",
  "example",
  "minioadmin",
]);
// Long-term keys start AKIA, temporary (STS, SSO) ones ASIA; both are 20 upper-case letters and digits.
const ACCESS_KEY_ID = /^A[KS]IA[A-Z0-9]{16}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/**
 * Why these credentials are placeholders rather than an AWS account's, or undefined when they
 * look real: a word emulators use, AWS's documentation examples (`AKIAIOSFODNN7EXAMPLE`), or a
 * key id or secret not shaped like AWS's. The secret itself is never quoted.
 */
export function placeholderCredentials(credentials: {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}): string | undefined {
  const { accessKeyId: id, secretAccessKey: secret } = credentials;
  if (PLACEHOLDER_WORDS.has(id.toLowerCase()))
    return `the access key id "${id}" is a placeholder, as used with emulators`;
  if (/EXAMPLE/i.test(id) || /EXAMPLE/i.test(secret))
    return `the access key id "${id}" or its secret is an example from AWS's documentation`;
  if (!ACCESS_KEY_ID.test(id))
    return `the access key id "${id}" is not shaped like an AWS one (AKIA or ASIA and 16 more upper-case letters or digits)`;
  if (PLACEHOLDER_WORDS.has(secret.toLowerCase())) return "the secret access key is a placeholder word";
  if (secret.length !== 40) return `the secret access key has ${secret.length} characters, not AWS's 40`;
  return undefined;
}

/**
 * The guard rails that keep `--target aws` off live AWS unless it is meant, checked before any
 * call: the confirmation, then the pool id's region against the client's. Credentials are
 * checked by `openAwsTarget` once the SDK has resolved them.
 */
export function liveRefusal(check: {
  readonly live: boolean;
  readonly poolId: string;
  readonly region: string;
}): string | undefined {
  if (!check.live)
    return `--target aws calls live Cognito (pool ${check.poolId} in ${check.region}: real users, real emails, real costs); pass --live, or set ${LIVE_ENV}=1, to confirm`;
  const poolRegion = check.poolId.split("_")[0] ?? "";
  if (!check.poolId.includes("_") || !REGION.test(poolRegion))
    return `COGNITO_USER_POOL_ID "${check.poolId}" is not a pool id (<region>_<id>, like eu-west-1_AbCdEf123)`;
  if (poolRegion !== check.region)
    return `pool ${check.poolId} is in ${poolRegion} but the client would call ${check.region} (AWS_REGION, AWS_DEFAULT_REGION or the profile's region): set AWS_REGION=${poolRegion}`;
  return undefined;
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
  const live = options.live === true || ["1", "true"].includes(env[LIVE_ENV] ?? "");
  const sdk =
    options.sdk ??
    new CognitoIdentityProviderClient({
      region: config.region,
      ...(config.credentials ? { credentials: config.credentials } : {}),
    });
  const refusal = await refusalOf(sdk, live, config.userPoolId, config.region);
  if (refusal) {
    if (!options.sdk) sdk.destroy();
    return { available: false, refused: true, reason: refusal };
  }
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

/**
 * Every guard rail against the client that would make the calls: its region, and the credentials
 * its provider chain resolves (environment, profile, SSO, ...), which reaches no Cognito endpoint.
 */
async function refusalOf(
  sdk: CognitoIdentityProviderClient,
  live: boolean,
  poolId: string,
  region: string,
): Promise<string | undefined> {
  // The target's region names the issuer; the client's is where the calls go. Both must be the pool's.
  const before =
    liveRefusal({ live, poolId, region }) ?? liveRefusal({ live, poolId, region: await sdk.config.region() });
  if (before) return before;
  let credentials;
  try {
    credentials = await sdk.config.credentials();
  } catch (e) {
    return `could not resolve AWS credentials: ${(e as Error).message.split("\n")[0]}`;
  }
  const placeholder = placeholderCredentials(credentials);
  return placeholder
    ? `${placeholder}; --target aws needs an AWS account's credentials (use --target memory, url or container for an emulator)`
    : undefined;
}
