// USER_SRP_AUTH through SDK v3 for tests, with the client half from scenarios/srp.ts (the real
// amazon-cognito-identity-js math), re-exported here for tests that tamper with the exchange.
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandOutput,
  type RespondToAuthChallengeCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import { SrpClient } from "../scenarios/srp.js";
import { secretHash } from "./auth-fixtures.js";

export { libraryTimestamp, SrpClient, srpTimestamp } from "../scenarios/srp.js";

/** Options of {@link srpSignIn}. */
export interface SrpSignInOptions {
  clientSecret?: string;
  /** AdminInitiateAuth + AdminRespondToAuthChallenge instead of the public calls. */
  admin?: boolean;
  timestamp?: string;
}

/** USER_SRP_AUTH end to end through SDK v3: InitiateAuth, then the PASSWORD_VERIFIER answer. */
export async function srpSignIn(
  cognito: CognitoIdentityProviderClient,
  ids: { poolId: string; clientId: string },
  username: string,
  password: string,
  opts: SrpSignInOptions = {},
): Promise<RespondToAuthChallengeCommandOutput> {
  const client = new SrpClient(ids.poolId);
  const hash = (name: string): Record<string, string> => (opts.clientSecret ? { SECRET_HASH: secretHash(opts.clientSecret, name, ids.clientId) } : {});
  const AuthParameters: Record<string, string> = { USERNAME: username, SRP_A: client.A, ...hash(username) };
  const started: InitiateAuthCommandOutput = opts.admin
    ? await cognito.send(new AdminInitiateAuthCommand({ UserPoolId: ids.poolId, ClientId: ids.clientId, AuthFlow: "USER_SRP_AUTH", AuthParameters }))
    : await cognito.send(new InitiateAuthCommand({ ClientId: ids.clientId, AuthFlow: "USER_SRP_AUTH", AuthParameters }));
  if (started.ChallengeName !== "PASSWORD_VERIFIER") throw new Error(`expected PASSWORD_VERIFIER, got ${String(started.ChallengeName)}`);
  const params = started.ChallengeParameters!;
  const ChallengeResponses: Record<string, string> = { ...client.answer(params, password, opts.timestamp), ...hash(params.USER_ID_FOR_SRP!) };
  return opts.admin
    ? await cognito.send(new AdminRespondToAuthChallengeCommand({ UserPoolId: ids.poolId, ClientId: ids.clientId, ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses }))
    : await cognito.send(new RespondToAuthChallengeCommand({ ClientId: ids.clientId, ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses }));
}
