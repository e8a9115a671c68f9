// The settings a test runner's global setup starts the emulator with: the COGNITO_TWIN_*
// variables the command reads, but a free port and no log lines unless those variables ask.
import { readConfig, type TwinConfig } from "./config.js";

/** COGNITO_TWIN_* as a config for startTwin: port 0 and logs off unless COGNITO_TWIN_PORT/LOG_LEVEL say. */
export function configFromEnvironment(env: Readonly<Record<string, string | undefined>>): Partial<TwinConfig> {
  const config = readConfig([], env) as TwinConfig;
  return {
    ...config,
    port: env.COGNITO_TWIN_PORT ? config.port : 0,
    logLevel: env.COGNITO_TWIN_LOG_LEVEL ? config.logLevel : "silent",
  };
}
