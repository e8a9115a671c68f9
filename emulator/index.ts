// The package's public API: the emulator factory, its server, config, and types tests use.
export { type CreateAppOptions, createApp, type TwinApp } from "./app.js";
export { ConfigError, DEFAULT_CONFIG, type IssuerMode, readConfig, resolveConfig, type TwinConfig } from "./config.js";
export { AdjustableClock, type Clock } from "./core/clock.js";
export { CognitoError, type CognitoErrorType } from "./core/errors.js";
export type { FaultAction, FaultRuleInput } from "./core/fault-rules.js";
export type { QuotaCategory } from "./core/quotas.js";
export { listen, type RunningServer } from "./http/server.js";
export { DroppedConnection } from "./protocol/faults.js";
export type {
  SeedDomain,
  SeedFile,
  SeedIdentityProvider,
  SeedPool,
  SeedResourceServer,
  SeedUser,
} from "./seed.js";
export { FaultRuleError, type FaultRuleView, type Faults } from "./services/faults.js";
export type { InboxMessage, MessageReason } from "./services/inbox.js";
export type { RequestLog, RequestLogEntry } from "./services/request-log.js";
export type { InvokeOutcome, TriggerHandler, TriggerInvocation, Triggers } from "./services/triggers.js";
export {
  type ConnectOptions,
  type CreatedPool,
  type CreatePoolOptions,
  connectTwin,
  type MessageFilter,
  type StartedTwin,
  startTwin,
  TwinCallError,
  type TwinClientConfig,
  type TwinControls,
} from "./start-twin.js";
