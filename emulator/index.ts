// The package's public API: the emulator factory, its server, config, and types tests use.
export { createApp, type TwinApp, type CreateAppOptions } from "./app.js";
export { listen, type RunningServer } from "./server.js";
export { resolveConfig, readConfig, DEFAULT_CONFIG, ConfigError, type TwinConfig, type IssuerMode } from "./config.js";
export { CognitoError, type CognitoErrorType } from "./protocol/errors.js";
export { AdjustableClock, type Clock } from "./clock.js";
export type { SeedFile, SeedPool, SeedUser } from "./seed.js";
export type { InboxMessage, MessageReason } from "./services/inbox.js";
