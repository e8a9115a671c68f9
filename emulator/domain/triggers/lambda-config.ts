// The checks Cognito makes of a pool's LambdaConfig beyond what the model expresses (the model
// already checks ARNs, LambdaVersion enums and the required members of the versioned configs),
// and the form DescribeUserPool shows it in. CreateUserPool and UpdateUserPool (and so the seed)
// go through here. docs/decisions/0017-lambda-triggers.md, "Invocation".
import type { LambdaConfigType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../../core/errors.js";

/**
 * The pool's LambdaConfig as it is stored and described, or Cognito's InvalidParameterException:
 *
 * - `CustomEmailSender` / `CustomSMSSender` need `KMSKeyID`, the key their codes are encrypted with;
 * - `PreTokenGeneration` and `PreTokenGenerationConfig.LambdaArn` must name the same function;
 *   either alone fills the other in (the legacy member alone is event version `V1_0`), as
 *   DescribeUserPool shows both.
 */
export function lambdaConfig(input: LambdaConfigType | undefined): LambdaConfigType {
  const config: LambdaConfigType = { ...input };
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

/**
 * Cognito's feature-plan rule for a pool's LambdaConfig: pre token generation events of version
 * `V2_0` and `V3_0` customise access tokens, which the Lite plan does not include, so a `LITE`
 * pool with one is FeatureUnavailableInTierException (AWS, "Turning off features to change
 * feature plans": "configure access token customization in the Plus and Essentials plans, but not
 * in the Lite plan"). Checked on the pool as CreateUserPool or UpdateUserPool leaves it, since
 * either the tier or the trigger may be what changed. docs/decisions/0017-lambda-triggers.md.
 */
export function checkLambdaConfigTier(pool: {
  readonly UserPoolTier?: string | undefined;
  readonly LambdaConfig?: { readonly PreTokenGenerationConfig?: { readonly LambdaVersion?: string } } | undefined;
}): void {
  if (pool.UserPoolTier !== "LITE") return;
  const version = pool.LambdaConfig?.PreTokenGenerationConfig?.LambdaVersion;
  if (version === "V2_0" || version === "V3_0")
    throw errors.featureUnavailableInTier("LITE", "Access token customization");
}
