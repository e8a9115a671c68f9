// `npm run client`: the seed's app on a port, against the emulator (COGNITO_ENDPOINT set) or AWS.

import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { createAuthApp } from "./app.js";
import { ClientConfigError, CognitoAuthClient, clientConfigFromEnv } from "./cognito-client.js";
import { HostedLogin, type HostedLoginConfig, hostedConfigFromEnv } from "./hosted-login.js";
import { createAccessTokenVerifier, expectedIssuer, jwksUrlFor } from "./middleware.js";

const USAGE = `Usage: npm run client -- [--port PORT] [--host HOST]

Environment:
  AWS_REGION                  region of the pool (default: the pool id's prefix)
  COGNITO_USER_POOL_ID        the user pool                       (required)
  COGNITO_APP_CLIENT_ID       the app client                      (required)
  COGNITO_APP_CLIENT_SECRET   the app client's secret, if it has one
  COGNITO_ENDPOINT            the emulator's URL (unset: real Cognito)
  COGNITO_ISSUER              expected token issuer (default https://cognito-idp.<region>.amazonaws.com/<pool>)
  COGNITO_JWKS_URL            where the signing keys are (default derived from the above)
  AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN   optional; the app's calls are unsigned
  PORT, HOST                  where to listen (default 127.0.0.1:5000)
  COOKIE_SECURE=true          mark the session cookie Secure (behind https)

Sign-in on the managed login pages (GET /login/hosted, the callback, GET /logout), when set:
  COGNITO_DOMAIN              the pool's domain: https://<prefix>.auth.<region>.amazoncognito.com,
                              or the emulator's http://127.0.0.1:9229/_domain/<prefix>
  COGNITO_CALLBACK_URL        one of the client's callback URLs, served by this app (required with it)
  COGNITO_LOGOUT_URL          one of the client's sign-out URLs (default: the callback's origin + /)
  COGNITO_OAUTH_SCOPES        scopes to ask for (default: every scope the client allows)
`;

/** Parses arguments and environment, starts the app; resolves to an exit code on a bad setting. */
async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number | "running"> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { port: { type: "string" }, host: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let config;
  let hostedConfig: HostedLoginConfig | undefined;
  try {
    config = clientConfigFromEnv(env);
    hostedConfig = hostedConfigFromEnv(env, config);
  } catch (e) {
    if (!(e instanceof ClientConfigError)) throw e;
    process.stderr.write(`client: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  const port = Number(values.port ?? env.PORT ?? 5000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`client: port "${values.port ?? env.PORT}" is not a port number\n`);
    return 2;
  }
  const host = values.host ?? env.HOST ?? "127.0.0.1";
  const verifierConfig = {
    region: config.region,
    userPoolId: config.userPoolId,
    clientId: config.clientId,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(env.COGNITO_ISSUER ? { issuer: env.COGNITO_ISSUER } : {}),
    ...(env.COGNITO_JWKS_URL ? { jwksUrl: env.COGNITO_JWKS_URL } : {}),
  };
  const app = createAuthApp({
    cognito: new CognitoAuthClient(config),
    verifier: createAccessTokenVerifier(verifierConfig),
    secureCookie: env.COOKIE_SECURE === "true",
    ...(hostedConfig ? { hosted: new HostedLogin(hostedConfig) } : {}),
  });
  const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
    process.stdout.write(
      `client app listening on http://${host}:${info.port}\n` +
        `  cognito: ${config.endpoint ?? `AWS ${config.region}`}  pool ${config.userPoolId}  client ${config.clientId}${config.clientSecret ? " (with secret)" : ""}\n` +
        `  tokens:  iss ${expectedIssuer(verifierConfig)}\n           keys ${jwksUrlFor(verifierConfig)}\n` +
        (hostedConfig
          ? `  hosted:  ${hostedConfig.domain}  callback ${hostedConfig.callbackUrl}  (GET /login/hosted)\n`
          : ""),
    );
  });
  server.once("error", (e) => {
    process.stderr.write(`client: cannot listen on ${host}:${port}: ${(e as Error).message}\n`);
    process.exit(1);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return "running";
}

const code = await main(process.argv.slice(2), process.env);
if (code !== "running") process.exit(code);
