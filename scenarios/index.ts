// Every scenario, in run order: the happy paths first, then the failures.
import { failures } from "./failures.js";
import { flows } from "./flows.js";
import { srpMfaScenarios } from "./srp-mfa.js";
import type { Scenario } from "./types.js";

export { runScenarios, selectScenarios, type RunOptions } from "./runner.js";
export type { Scenario, ScenarioContext, RunResult, ScenarioResult, StepResult, CodeSource } from "./types.js";

/** All scenarios. */
export const allScenarios: readonly Scenario[] = [...flows, ...srpMfaScenarios, ...failures];
