// Token lifetimes from an app client's settings.
import type { StoredClient } from "../store/types.js";

/** Seconds per TokenValidityUnits unit. */
export const UNIT_SECONDS = { seconds: 1, minutes: 60, hours: 3600, days: 86400 } as const;

/** A client's token lifetimes in seconds. */
export function tokenLifetimes(client: StoredClient["client"]): { access: number; id: number; refresh: number } {
  const u = client.TokenValidityUnits ?? {};
  return {
    access: (client.AccessTokenValidity ?? 60) * UNIT_SECONDS[u.AccessToken ?? "minutes"],
    id: (client.IdTokenValidity ?? 60) * UNIT_SECONDS[u.IdToken ?? "minutes"],
    refresh: (client.RefreshTokenValidity ?? 30) * UNIT_SECONDS[u.RefreshToken ?? "days"],
  };
}
