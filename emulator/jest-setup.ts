// `cognito-twin/jest/setup` and `cognito-twin/jest/teardown`: Jest's globalSetup and
// globalTeardown (docs/programmatic-api.md). Jest runs both in its parent process and shares no
// values with the tests, only the environment, so the URL travels as COGNITO_TWIN_URL and the
// running emulator waits on globalThis for the teardown.
import { type StartedTwin, startTwin } from "./start-twin.js";
import { configFromEnvironment } from "./test-setup-config.js";

const KEY = Symbol.for("cognito-twin.jest");

type Holder = { [KEY]?: StartedTwin };

/** Starts the emulator (COGNITO_TWIN_* settings) and sets COGNITO_TWIN_URL and COGNITO_TWIN_REGION. */
export async function setup(): Promise<void> {
  const holder = globalThis as Holder;
  if (holder[KEY]) return;
  const twin = await startTwin(configFromEnvironment(process.env));
  holder[KEY] = twin;
  process.env.COGNITO_TWIN_URL = twin.url;
  process.env.COGNITO_TWIN_REGION = twin.region;
}

/** Stops the emulator setup() started; nothing when none runs. */
export async function teardown(): Promise<void> {
  const holder = globalThis as Holder;
  const twin = holder[KEY];
  delete holder[KEY];
  await twin?.stop();
}
