// Who is calling the token and revocation endpoints: HTTP Basic (client_secret_basic) or the
// form's client_id and client_secret (client_secret_post). A client with a secret must prove it;
// a client without one must not send one (docs/decisions/0016-oauth-endpoints.md).
import type { Services } from "../../context.js";
import type { StoredClient, StoredPool } from "../../store/types.js";
import { clientSecretValues, matchesClientSecret } from "../client-secrets.js";
import { OAuthError } from "./errors.js";

/** What a request presents: the Authorization header's Basic credentials, and the form's fields. */
export interface PresentedClient {
  /** `Authorization: Basic` decoded; "malformed" when the header is Basic but not `id:secret`. */
  readonly basic?: { readonly id: string; readonly secret: string } | "malformed" | undefined;
  readonly formId?: string | undefined;
  readonly formSecret?: string | undefined;
}

/** Decodes an Authorization header's Basic credentials (RFC 6749 section 2.3.1: each part form-encoded). */
export function basicCredentials(header: string | undefined): PresentedClient["basic"] {
  if (header === undefined) return undefined;
  const m = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header.trim());
  if (!m) return /^basic\b/i.test(header.trim()) ? "malformed" : undefined;
  const text = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = text.indexOf(":");
  if (colon <= 0) return "malformed";
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part.replace(/\+/g, " "));
    } catch {
      return part;
    }
  };
  return { id: decode(text.slice(0, colon)), secret: decode(text.slice(colon + 1)) };
}

/**
 * The app client a request authenticates as, in the pool the domain belongs to; `invalid_client`
 * (with `status`) when it names none, gives a wrong secret, or gives one the client does not
 * have; `invalid_request` when it uses two ways at once.
 */
export function authenticateClient(
  ctx: Pick<Services, "store">,
  pool: Pick<StoredPool, "id">,
  presented: PresentedClient,
  status = 400,
): StoredClient {
  const fail = (why: string) => new OAuthError("invalid_client", why, status);
  const { basic, formId, formSecret } = presented;
  if (basic === "malformed") throw fail("the Authorization header is not Basic base64(client_id:client_secret)");
  if (basic && formSecret !== undefined)
    throw new OAuthError("invalid_request", "the client secret was sent both in the Authorization header and the body");
  if (basic && formId !== undefined && formId !== basic.id)
    throw fail("client_id in the body is not the client of the Authorization header");
  const id = basic?.id ?? formId;
  if (id === undefined || id === "") throw fail("no client_id was sent");
  const client = ctx.store.getClient(id);
  if (!client || client.poolId !== pool.id) throw fail(`no app client ${id} in this user pool`);
  const secret = basic ? basic.secret : formSecret;
  // During a rotation (AddUserPoolClientSecret) either of the client's two secrets is accepted.
  if (clientSecretValues(client).length > 0) {
    if (secret === undefined || secret === "") throw fail(`app client ${id} has a secret, and none was sent`);
    if (!matchesClientSecret(client, secret)) throw fail(`wrong client secret for app client ${id}`);
  } else if (secret !== undefined && secret !== "") {
    throw fail(`app client ${id} has no secret, and one was sent`);
  }
  return client;
}
