// The AWS credentials GetCredentialsForIdentity hands out, remembered so that a test or an AWS
// service emulator can ask whose they are (GET /_twin/identity-credentials?accessKeyId=...,
// docs/identity-pools.md). Memory only: they live one hour, nothing checks them, and a restart
// forgets them as STS would not; at most CREDENTIAL_LIMIT are kept, the oldest dropped first.
import { randomBytes } from "node:crypto";

/** One set of credentials and what it was issued for. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  issuedAt: number;
  /** Epoch milliseconds. */
  expiresAt: number;
  identityId: string;
  identityPoolId: string;
  roleArn: string;
  authenticated: boolean;
  /** The Logins keys the credentials were issued on (none for a guest). */
  logins: string[];
  /** Session tags from the pool's principal tag map (SetPrincipalTagAttributeMap). */
  principalTags: Record<string, string>;
}

/** How many credentials are remembered at once (about 1.5 kB each). */
const CREDENTIAL_LIMIT = 100_000;

/** Random bytes of a session token: 384 base64 characters. */
const SESSION_TOKEN_BYTES = 288;

/** What an access key id is made of: AWS's base32 alphabet (upper case and 2-7). */
const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Issues and remembers identity-pool credentials. */
export class IdentityCredentials {
  private readonly byAccessKey = new Map<string, IssuedCredentials>();

  constructor(private readonly limit = CREDENTIAL_LIMIT) {}

  /** Makes new credentials (`ASIA` + 16 characters, a 40-character secret, a session token) and remembers them. */
  issue(facts: Omit<IssuedCredentials, "accessKeyId" | "secretKey" | "sessionToken">): IssuedCredentials {
    // One draw for all three (the pairs of Amplify's fetchAuthSession run thousands a second).
    const bytes = randomBytes(16 + 30 + SESSION_TOKEN_BYTES);
    let accessKeyId = "ASIA";
    for (let i = 0; i < 16; i++) accessKeyId += KEY_ALPHABET[bytes[i]! & 31];
    const issued: IssuedCredentials = {
      accessKeyId,
      // 30 random bytes are 40 base64 characters, the length of an AWS secret access key.
      secretKey: bytes.toString("base64", 16, 46),
      // Opaque, as STS's are; long enough to look like one to a client that checks.
      sessionToken: bytes.toString("base64", 46),
      ...facts,
    };
    this.byAccessKey.set(accessKeyId, issued);
    this.prune(facts.issuedAt);
    return issued;
  }

  /** The credentials of an access key id, while they have not expired at `now`. */
  lookup(accessKeyId: string, now: number): IssuedCredentials | undefined {
    const found = this.byAccessKey.get(accessKeyId);
    return found && found.expiresAt > now ? found : undefined;
  }

  /** Forgets everything (reset). */
  clear(): void {
    this.byAccessKey.clear();
  }

  /** Drops the oldest entries while over the limit or expired (they were issued in order). */
  private prune(now: number): void {
    for (const [key, c] of this.byAccessKey) {
      if (this.byAccessKey.size <= this.limit && c.expiresAt > now) break;
      this.byAccessKey.delete(key);
    }
  }
}
