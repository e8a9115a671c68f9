// What the token layer is handed. Declared here rather than taken from context.ts, so that
// tokens/ depends only on the rooms below it; the Services of createApp satisfy it.
import type { TwinConfig } from "../config.js";
import type { AdjustableClock } from "../core/clock.js";
import type { Store } from "../store/store.js";
import type { KeyService } from "./keys.js";

/** Services and request facts the token functions use. */
export interface TokenDeps {
  readonly store: Store;
  readonly clock: AdjustableClock;
  readonly keys: KeyService;
  readonly config: TwinConfig;
  /** Where the caller reached the emulator (`http://host:port`), for local-issuer tokens. */
  readonly baseUrl: string;
}
