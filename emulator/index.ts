// The package's public API: the emulator factory, its server, config, and types tests use.
export { type CreateAppOptions, createApp, type TwinApp } from "./app.js";
export { ConfigError, DEFAULT_CONFIG, type IssuerMode, readConfig, resolveConfig, type TwinConfig } from "./config.js";
export { AdjustableClock, type Clock } from "./core/clock.js";
export { CognitoError, type CognitoErrorType } from "./core/errors.js";
export { listen, type RunningServer } from "./http/server.js";
export type {
  SeedDomain,
  SeedFile,
  SeedIdentityProvider,
  SeedPool,
  SeedResourceServer,
  SeedUser,
} from "./seed.js";
export type { InboxMessage, MessageReason } from "./services/inbox.js";
export type { InvokeOutcome, TriggerHandler, TriggerInvocation, Triggers } from "./services/triggers.js";
