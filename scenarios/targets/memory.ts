// The default target: the emulator's createApp in this process, on a free loopback port.
import { createApp } from "../../emulator/app.js";
import type { TwinConfig } from "../../emulator/config.js";
import { listen } from "../../emulator/http/server.js";
import { triggerMap } from "../triggers/functions.js";
import { type EmulatorPoolOptions, openEmulatorPool } from "./emulator.js";
import type { TargetOpening } from "./types.js";

/** Options of the memory target. */
export interface MemoryTargetOptions extends EmulatorPoolOptions {
  /** Emulator settings (e.g. `{ issuer: "local" }`). */
  readonly twin?: Partial<TwinConfig>;
}

/**
 * Starts an emulator in-process, with the trigger scenarios' functions mapped (beside any
 * `twin.triggers` given), and makes the run's pool on it (with the control token, if one is given).
 */
export async function openMemoryTarget(options: MemoryTargetOptions = {}): Promise<TargetOpening> {
  const controlToken = options.twin?.controlToken ?? options.controlToken;
  const twin = await createApp({
    logLevel: "silent",
    sharedSigningKeys: true,
    ...options.twin,
    triggers: { ...triggerMap(), ...options.twin?.triggers },
    ...(controlToken ? { controlToken } : {}),
  });
  const server = await listen(twin, { host: "127.0.0.1", port: 0 });
  try {
    const target = await openEmulatorPool("memory", server.url, `in-process emulator at ${server.url}`, {
      ...options,
      ...(controlToken ? { controlToken } : {}),
      ...(options.twin?.region ? { region: options.twin.region } : {}),
      triggersHint: "the memory target maps them itself; is scenarios/triggers/handlers.mjs there?",
    });
    return {
      available: true,
      target: {
        ...target,
        async close() {
          try {
            await target.close();
          } finally {
            await server.close();
            await twin.close();
          }
        },
      },
    };
  } catch (e) {
    await server.close();
    await twin.close();
    throw e;
  }
}
