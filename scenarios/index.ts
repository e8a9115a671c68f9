// Every scenario, in run order: the happy paths first, then the failures.
import { deviceScenarios } from "./devices.js";
import { failures } from "./failures.js";
import { faultScenarios } from "./faults.js";
import { federationScenarios } from "./federation.js";
import { flows } from "./flows.js";
import { hostedScenarios } from "./hosted.js";
import { identityPoolScenarios } from "./identity-pools.js";
import { passkeyScenarios } from "./passkeys.js";
import { passwordlessScenarios } from "./passwordless.js";
import { srpMfaScenarios } from "./srp-mfa.js";
import { triggerScenarios } from "./triggers/scenarios.js";
import type { Scenario } from "./types.js";

export { type RunOptions, runScenarios, selectScenarios } from "./runner.js";
export type { CodeSource, RunResult, Scenario, ScenarioContext, ScenarioResult, StepResult } from "./types.js";

/** All scenarios. */
export const allScenarios: readonly Scenario[] = [
  ...flows,
  ...srpMfaScenarios,
  ...deviceScenarios,
  ...passkeyScenarios,
  ...passwordlessScenarios,
  ...hostedScenarios,
  ...federationScenarios,
  ...identityPoolScenarios,
  ...triggerScenarios,
  ...failures,
  ...faultScenarios,
];
