// `cognito-twin/vitest`: a vitest global setup that starts one emulator for the whole test run
// and provides its URL to every test file (docs/programmatic-api.md). Workers get only what can
// be serialised, so they reach the emulator over HTTP through connectTwin(inject(...)).
import { inject } from "vitest";
import type { TwinConfig } from "./config.js";
import { connectTwin, type StartedTwin, startTwin, type TwinControls } from "./start-twin.js";
import { configFromEnvironment } from "./test-setup-config.js";

declare module "vitest" {
  /** What `inject()` returns in a test once `cognito-twin/vitest` is a global setup. */
  export interface ProvidedContext {
    /** The emulator's URL, `http://127.0.0.1:<port>`. */
    cognitoTwinUrl: string;
    /** Its region (COGNITO_TWIN_REGION or the config's). */
    cognitoTwinRegion: string;
  }
}

/** The part of vitest's TestProject a global setup uses (kept structural so vitest stays optional). */
export interface ProvidingProject {
  provide(key: "cognitoTwinUrl" | "cognitoTwinRegion", value: string): void;
}

/**
 * A global setup with these settings on top of the COGNITO_TWIN_* environment variables; for a
 * setup file of your own: `export default cognitoTwinSetup({ seedPath: "test/cognito.json" })`.
 * It also sets COGNITO_TWIN_URL for the workers.
 */
export function cognitoTwinSetup(
  config: Partial<TwinConfig> = {},
): (project: ProvidingProject) => Promise<() => Promise<void>> {
  return async (project) => {
    const twin: StartedTwin = await startTwin({ ...configFromEnvironment(process.env), ...config });
    project.provide("cognitoTwinUrl", twin.url);
    project.provide("cognitoTwinRegion", twin.region);
    process.env.COGNITO_TWIN_URL = twin.url;
    return () => twin.stop();
  };
}

/**
 * In a test file: the controls of the emulator this global setup started, from what it provided.
 *
 * @example
 * import { injectTwin } from "cognito-twin/vitest";
 * const twin = injectTwin();
 * const { userPoolId, clientId } = await twin.createPool();
 */
export function injectTwin(options: { readonly controlToken?: string } = {}): TwinControls {
  const controlToken = options.controlToken ?? process.env.COGNITO_TWIN_CONTROL_TOKEN;
  return connectTwin(inject("cognitoTwinUrl"), {
    region: inject("cognitoTwinRegion"),
    ...(controlToken ? { controlToken } : {}),
  });
}

/** `globalSetup: ["cognito-twin/vitest"]`: the emulator as the COGNITO_TWIN_* variables set it up. */
const setup = cognitoTwinSetup();
export default setup;
