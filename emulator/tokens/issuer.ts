// The `iss` claim of a pool's tokens.
import type { TwinConfig } from "../config.js";

/**
 * The `iss` of a pool's tokens: the real AWS form by default, or the emulator's own URL
 * (`publicUrl` if configured, else the address the caller used) in `local` mode.
 */
export function issuerFor(
  services: { readonly config: Pick<TwinConfig, "issuer" | "publicUrl" | "region"> },
  poolId: string,
  baseUrl: string,
): string {
  const { config } = services;
  if (config.issuer === "local") return `${config.publicUrl ?? baseUrl}/${poolId}`;
  const region = poolId.split("_")[0] ?? config.region;
  return `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
}
