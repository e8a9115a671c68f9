// The identity pools' public documents and their test control (docs/identity-pools.md):
//   GET /_identity/.well-known/jwks_uri               the OpenID tokens' keys (Cognito's
//                                                     https://cognito-identity.amazonaws.com/.well-known/jwks_uri)
//   GET /_identity/.well-known/openid-configuration   the issuer's discovery document
//   GET /_twin/identity-credentials?accessKeyId=      whose the credentials of GetCredentialsForIdentity are
import type { Hono } from "hono";
import type { Services } from "../context.js";
import { identityIssuer } from "../domain/identity-pools/issue.js";

/** Mounts the identity pools' routes. */
export function identityRoutes(app: Hono, services: Services): void {
  app.get("/_identity/.well-known/jwks_uri", (c) => c.json(services.identityKeys.jwks()));

  app.get("/_identity/.well-known/openid-configuration", (c) => {
    const base = `${new URL(c.req.url).protocol}//${c.req.header("host") ?? "localhost"}`;
    return c.json({
      issuer: identityIssuer(services, base),
      jwks_uri: `${services.config.publicUrl ?? base}/_identity/.well-known/jwks_uri`,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS512"],
    });
  });

  // For a test, or an AWS service emulator that wants to know who calls it with these credentials:
  // the identity, its pool, the role chosen, the logins and session tags, when they expire, and the
  // secret key, so that such an emulator can check a SigV4 signature made with them.
  app.get("/_twin/identity-credentials", (c) => {
    const accessKeyId = c.req.query("accessKeyId");
    if (!accessKeyId) return c.json({ message: "Give accessKeyId=<the AccessKeyId of the credentials>." }, 400);
    const found = services.identityCredentials.lookup(accessKeyId, services.clock.now());
    if (!found)
      return c.json({ message: `No unexpired credentials with access key id ${accessKeyId} were issued here.` }, 404);
    const { sessionToken: _token, ...facts } = found;
    return c.json({
      ...facts,
      issuedAt: new Date(found.issuedAt).toISOString(),
      expiresAt: new Date(found.expiresAt).toISOString(),
    });
  });
}
