// The checks Cognito makes of a pool's LambdaConfig beyond what the model expresses (the model
// already checks ARNs, LambdaVersion enums and the required members of the versioned configs),
// and the form DescribeUserPool shows it in. CreateUserPool and UpdateUserPool (and so the seed)
// go through here. docs/decisions/0017-lambda-triggers.md, "Invocation".
import type { LambdaConfigType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../../core/errors.js";

/**
 * The pool's LambdaConfig as it is stored and described, or Cognito's InvalidParameterException:
 *
 * - `InboundFederation` is refused: cognito-twin does not run that trigger on federated sign-ins
 *   yet, and a trigger that is stored but never runs would pass tests that fail against Cognito;
 * - `CustomEmailSender` / `CustomSMSSender` need `KMSKeyID`, the key their codes are encrypted with;
 * - `PreTokenGeneration` and `PreTokenGenerationConfig.LambdaArn` must name the same function;
 *   either alone fills the other in (the legacy member alone is event version `V1_0`), as
 *   DescribeUserPool shows both.
 */
export function lambdaConfig(input: LambdaConfigType | undefined): LambdaConfigType {
  const config: LambdaConfigType = { ...input };
  if (config.InboundFederation !== undefined) throw errors.inboundFederationUnsupported();
  for (const trigger of ["CustomEmailSender", "CustomSMSSender"] as const) {
    if (config[trigger] !== undefined && !config.KMSKeyID) throw errors.customSenderWithoutKmsKey(trigger);
  }
  const legacy = config.PreTokenGeneration;
  const versioned = config.PreTokenGenerationConfig;
  if (legacy !== undefined && versioned?.LambdaArn !== undefined && versioned.LambdaArn !== legacy)
    throw errors.preTokenGenerationArnsDiffer();
  if (versioned?.LambdaArn !== undefined) {
    config.PreTokenGeneration = versioned.LambdaArn;
    config.PreTokenGenerationConfig = { LambdaVersion: versioned.LambdaVersion, LambdaArn: versioned.LambdaArn };
  } else if (legacy !== undefined) {
    config.PreTokenGenerationConfig = { LambdaVersion: "V1_0", LambdaArn: legacy };
  }
  return config;
}
