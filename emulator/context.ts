// What every layer above the store is handed: the long-lived services of one emulator, and
// what one call sees. Types only; the services themselves are built by createApp (app.ts).
import type { TwinConfig } from "./config.js";
import type { AdjustableClock } from "./core/clock.js";
import type { Logger } from "./core/logger.js";
import type { Durability } from "./persistence/journal.js";
import type { Faults } from "./services/faults.js";
import type { IdentityCredentials } from "./services/identity-credentials.js";
import type { Inbox } from "./services/inbox.js";
import type { KeyedLock } from "./services/locks.js";
import type { OAuthSessions } from "./services/oauth-sessions.js";
import type { RequestLog } from "./services/request-log.js";
import type { Triggers } from "./services/triggers.js";
import type { Store } from "./store/store.js";
import type { IdentityKeys } from "./tokens/identity-keys.js";
import type { KeyService } from "./tokens/keys.js";

/** The long-lived services of one emulator instance, built once by createApp. */
export interface Services {
  readonly config: TwinConfig;
  readonly store: Store;
  readonly clock: AdjustableClock;
  readonly inbox: Inbox;
  readonly locks: KeyedLock;
  readonly keys: KeyService;
  /** The identity pools' OpenID signing keys (docs/identity-pools.md). */
  readonly identityKeys: IdentityKeys;
  /** The AWS credentials identity pools issued, by access key id (memory only). */
  readonly identityCredentials: IdentityCredentials;
  readonly log: Logger;
  /** Authorization codes, managed login sessions and sign-ins in progress (memory only). */
  readonly oauth: OAuthSessions;
  /** The pools' Lambda triggers: handlers, mapped modules, the Lambda endpoint (services/triggers.ts). */
  readonly triggers: Triggers;
  /** The recent requests (http/request-logging.ts writes, the web console and GET /_twin/requests read). */
  readonly requestLog: RequestLog;
  /** Fault rules and the quota mode (services/faults.ts, docs/faults.md); `faults.armed` is false without either. */
  readonly faults: Faults;
  /** The data directory's journal, when state is persisted (`--data-dir`). */
  readonly durability?: Durability;
  /**
   * Answers a request to the built-in social provider stand-ins (http/social/) in this process:
   * the emulator's own calls to them (code exchange, keys, profiles) never go over the network.
   */
  readonly socialStandIn?: (request: Request) => Promise<Response>;
}

/** What one call knows about itself, whatever services its operation uses. */
export interface RequestFacts {
  /** Region from the SigV4 credential scope, else the configured default. */
  readonly region: string;
  readonly requestId: string;
  /** The caller's address, for events and rate limits. */
  readonly sourceIp?: string;
  /** Where the caller reached the emulator (`http://host:port`), for local-issuer tokens. */
  readonly baseUrl: string;
  /** The caller's User-Agent, for the SDK version triggers' events name (`callerContext`). */
  readonly userAgent?: string | undefined;
  /**
   * True when the managed login pages answer a challenge through the API's operations: that
   * sign-in ends in an authorization code, and its tokens (with their pre token generation
   * trigger, TokenGeneration_HostedAuth) come from the token endpoint, not from this call.
   */
  readonly managedLogin?: boolean | undefined;
}

/**
 * What one call of an operation is handed: every service and the request's facts. A handler
 * sees only the services its operation declares (`defineOperation`'s `uses`).
 */
export interface OperationContext extends Services, RequestFacts {}
