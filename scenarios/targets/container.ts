// The emulator's image in a container (docker/testcontainers.ts), started for the run.
import { HANDLERS_FILE, triggerMap } from "../triggers/functions.js";
import { type EmulatorPoolOptions, openEmulatorPool } from "./emulator.js";
import type { TargetOpening } from "./types.js";

/** Options of the container target. */
export interface ContainerTargetOptions extends EmulatorPoolOptions {
  /** Image to run (default the one docker/build.sh tags, `cognito-twin:local`). */
  readonly image?: string;
}

/** Starts a container (needs a container runtime and the image), then makes the run's pool. */
export async function openContainerTarget(options: ContainerTargetOptions = {}): Promise<TargetOpening> {
  let mod: typeof import("../../docker/testcontainers.js");
  let engine: Awaited<ReturnType<typeof import("../../test-support/docker.js").dockerEngine>>;
  try {
    // Loaded only for this target: testcontainers is heavy and optional.
    mod = await import("../../docker/testcontainers.js");
    // Finds the engine the way the container tests do (localhost when inside a container
    // without a bridge network) and turns off the Ryuk reaper, which would be pulled from
    // Docker Hub: this target stops its own container, also when the run is interrupted.
    engine = await (await import("../../test-support/docker.js")).dockerEngine();
  } catch (e) {
    return {
      available: false,
      reason: `the container target needs docker/testcontainers.ts and the testcontainers package: ${(e as Error).message}`,
    };
  }
  if (!engine.ok) return { available: false, reason: engine.reason };
  const image = options.image ?? mod.DEFAULT_IMAGE;
  let started: Awaited<ReturnType<InstanceType<typeof mod.CognitoTwinContainer>["start"]>>;
  try {
    // The trigger scenarios' functions, copied in beside the emulator (handlers.mjs imports nothing).
    const handlers = `${mod.TRIGGERS_DIR}/scenario-handlers.mjs`;
    const container = new mod.CognitoTwinContainer(image)
      .withRegion(options.region ?? "us-east-1")
      .withLogLevel("silent")
      .withTriggers(triggerMap(handlers), [{ source: HANDLERS_FILE, target: handlers }]);
    if (options.controlToken) container.withControlToken(options.controlToken);
    started = await container.start();
  } catch (e) {
    const message = (e as Error).message.split("\n")[0] ?? "";
    const hint = /no such image|not found|pull access denied|manifest unknown/i.test(message)
      ? ` (build the image first: docker/build.sh tags ${image})`
      : /container runtime|docker|socket|ENOENT|ECONNREFUSED/i.test(message)
        ? " (is a container runtime running?)"
        : "";
    return { available: false, reason: `cannot start ${image}: ${message}${hint}` };
  }
  try {
    const target = await openEmulatorPool(
      "container",
      started.getEndpoint(),
      `container ${image} at ${started.getEndpoint()}`,
      {
        triggersHint: `the container target maps them itself (${mod.TRIGGERS_DIR}); is ${image} older than its trigger support? (docker/build.sh)`,
        ...options,
      },
    );
    return {
      available: true,
      target: {
        ...target,
        async close() {
          try {
            await target.close();
          } finally {
            await started.stop();
          }
        },
      },
    };
  } catch (e) {
    await started.stop();
    throw e;
  }
}
