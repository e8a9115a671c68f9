// A real SAML 2.0 identity provider for the tests: samlify's IdP side, with a key and a
// self-signed certificate made at run time (selfsigned), its metadata as an IdP publishes it, a
// parse of the emulator's AuthnRequest (HTTP-Redirect binding, checked against SAML's schema with
// node-xmllint) and signed responses to it. The bad cases are the same IdP's: another key, another
// audience, another time, its signature taken out. It can also insist on signed AuthnRequests
// (verified by samlify against the pool's GetSigningCertificate), encrypt its assertions to the
// provider's ActiveEncryptionCertificate, and answer the pool's LogoutRequest with a signed
// LogoutResponse (single logout, HTTP-Redirect in and HTTP-POST back).
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import { generate } from "selfsigned";

// samlify and its validator are loaded by a name the compiler does not follow: samlify's
// declarations pull the DOM library into the program (through @xmldom 0.8), whose fetch types
// clash with Node's. The part used here is typed below.
interface SamlifyEntity {
  getMetadata(): string;
}
interface SamlifyIdp extends SamlifyEntity {
  parseLoginRequest(
    sp: SamlifyEntity,
    binding: "redirect",
    req: { query: Record<string, string>; octetString?: string },
  ): Promise<{ extract: { request: { id: string }; issuer?: string; nameIDPolicy?: unknown }; sigAlg?: string }>;
  parseLogoutRequest(
    sp: SamlifyEntity,
    binding: "redirect",
    req: { query: Record<string, string>; octetString?: string },
  ): Promise<{
    extract: { request: { id: string }; nameID?: string; sessionIndex?: string; issuer?: string };
    sigAlg?: string;
  }>;
  createLogoutResponse(
    sp: SamlifyEntity,
    requestInfo: unknown,
    binding: "post",
    relayState: string,
  ): { context: string; relayState?: string; entityEndpoint: string };
  createLoginResponse(
    sp: SamlifyEntity,
    requestInfo: unknown,
    binding: "post",
    user: Record<string, string>,
    options: { customTagReplacement: (template: string) => { id: string; context: string } },
  ): Promise<{ context: string }>;
}
interface Samlify {
  IdentityProvider(settings: Record<string, unknown>): SamlifyIdp;
  ServiceProvider(settings: Record<string, unknown>): SamlifyEntity;
  setSchemaValidator(validator: { validate(xml: string): Promise<unknown> }): void;
  SamlLib: {
    replaceTagsByValue(template: string, values: Record<string, string>): string;
    defaultLoginResponseTemplate: { context: string };
  };
}
const SAMLIFY = "samlify";
const XMLLINT = "@authenio/samlify-node-xmllint";

const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
const UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

let loaded: Promise<Samlify> | undefined;
async function samlify(): Promise<Samlify> {
  loaded ??= (async () => {
    const lib = (await import(SAMLIFY)) as Samlify & { default?: Samlify };
    const api = (lib.default ?? lib) as Samlify;
    const validator = (await import(XMLLINT)) as { validate(xml: string): Promise<unknown> };
    api.setSchemaValidator({ validate: (xml) => validator.validate(xml) });
    return api;
  })();
  return loaded;
}

/** A key and its self-signed certificate (PEM), valid from `from` for `days`. */
export async function samlKeyPair(
  name = "test-idp",
  days = 365,
  from = new Date(Date.now() - 60_000),
): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: "commonName", value: name }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: from,
    notAfterDate: new Date(from.getTime() + days * 86_400_000),
  });
  return { key: pems.private, cert: pems.cert };
}

/** What a response says, and how it is made. */
interface ResponseOptions {
  /** The SP: its entity id (the audience) and ACS URL (Destination, Recipient). */
  readonly audience: string;
  readonly acsUrl: string;
  /** The AuthnRequest answered (SP-initiated); none for an IdP-initiated response. */
  readonly request?: { readonly id: string } | undefined;
  readonly nameId: string;
  readonly attributes?: Readonly<Record<string, string>>;
  /** When the IdP says it is (the assertion's IssueInstant and NotBefore); now by default. */
  readonly at?: Date | undefined;
  /** How long the assertion is valid (NotOnOrAfter), in seconds; five minutes by default. */
  readonly lifetimeSeconds?: number | undefined;
  /** "none": the signature taken out of the signed response. */
  readonly signature?: "signed" | "none";
  /** The SP's encryption certificate (base64 DER or PEM): the assertion is encrypted to it. */
  readonly encryptTo?: string | undefined;
  /** The AuthnStatement's SessionIndex (none: no AuthnStatement). */
  readonly sessionIndex?: string | undefined;
}

/** The service provider as the IdP knows it: the pool. */
interface SpOptions {
  readonly entityId: string;
  readonly acsUrl: string;
  /** The pool's signing certificate (GetSigningCertificate): verifies its signed requests. */
  readonly signingCert?: string | undefined;
  /** The SP's /saml2/logout: where the LogoutResponse is POSTed. */
  readonly sloUrl?: string | undefined;
}

/** A running test IdP. */
export interface TestSamlIdp {
  readonly entityId: string;
  readonly ssoUrl: string;
  /** Its metadata XML (for MetadataFile, or served for MetadataURL). */
  readonly metadata: string;
  /**
   * Parses the AuthnRequest the emulator redirected to (the Location of its 302). An IdP made
   * with `wantAuthnRequestsSigned` verifies its signature (SigAlg, Signature) against
   * `sp.signingCert`, and refuses an unsigned one.
   */
  parseRequest(location: string, sp: SpOptions): Promise<{ id: string; relayState: string; sigAlg?: string }>;
  /**
   * Parses a LogoutRequest (the Location of /logout's 302), its signature verified against
   * `sp.signingCert`, and answers it: the base64 LogoutResponse (signed) to POST to `sp.sloUrl`
   * with the RelayState; `status` "failure" makes it a Responder error.
   */
  answerLogout(
    location: string,
    sp: SpOptions,
  ): Promise<{ nameId?: string; sessionIndex?: string; requestId: string; samlResponse: string; relayState: string }>;
  /** A base64 SAMLResponse for the SP, signed with this IdP's key. */
  respond(options: ResponseOptions): Promise<string>;
}

/** The attributes every test response may carry, by the names the IdP sends them under. */
const ATTRIBUTES = ["email", "given_name", "family_name", "department"] as const;

/**
 * Starts a samlify IdP. `signWith` signs its responses with another key than the one its
 * metadata names (a response "signed by another key").
 */
export async function createSamlIdp(
  options: {
    entityId?: string;
    ssoUrl?: string;
    signWith?: { key: string; cert: string };
    keys?: { key: string; cert: string };
    /** The IdP insists on signed AuthnRequests and LogoutRequests. */
    wantAuthnRequestsSigned?: boolean;
    /** Its SingleLogoutService (HTTP-Redirect), named in its metadata. */
    sloUrl?: string;
  } = {},
): Promise<TestSamlIdp> {
  const lib = await samlify();
  const entityId = options.entityId ?? "https://idp.example.test/metadata";
  const ssoUrl = options.ssoUrl ?? "https://idp.example.test/sso";
  const keys = options.keys ?? (await samlKeyPair());
  const template = {
    context: lib.SamlLib.defaultLoginResponseTemplate.context,
    attributes: ATTRIBUTES.map((name) => ({
      name,
      valueTag: name,
      nameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
      valueXsiType: "xs:string",
    })),
  };
  const settings = (k: { key: string; cert: string }) => ({
    entityID: entityId,
    privateKey: k.key,
    signingCert: k.cert,
    nameIDFormat: [UNSPECIFIED],
    singleSignOnService: [
      { Binding: REDIRECT, Location: ssoUrl },
      { Binding: POST, Location: ssoUrl },
    ],
    ...(options.sloUrl ? { singleLogoutService: [{ Binding: REDIRECT, Location: options.sloUrl }] } : {}),
    wantAuthnRequestsSigned: options.wantAuthnRequestsSigned === true,
    wantLogoutRequestSigned: options.wantAuthnRequestsSigned === true,
    loginResponseTemplate: template,
  });
  const idp = lib.IdentityProvider(settings(keys));
  const signer = options.signWith ? lib.IdentityProvider(settings(options.signWith)) : idp;
  const encrypter = (k: { key: string; cert: string }) =>
    lib.IdentityProvider({ ...settings(k), isAssertionEncrypted: true });
  const spOf = (sp: SpOptions & { encryptCert?: string }) =>
    lib.ServiceProvider({
      entityID: sp.entityId,
      assertionConsumerService: [{ Binding: POST, Location: sp.acsUrl }],
      wantAssertionsSigned: true,
      wantLogoutResponseSigned: true,
      ...(sp.signingCert ? { signingCert: pemOf(sp.signingCert), authnRequestsSigned: true } : {}),
      ...(sp.encryptCert ? { encryptCert: pemOf(sp.encryptCert), isAssertionEncrypted: true } : {}),
      ...(sp.sloUrl ? { singleLogoutService: [{ Binding: POST, Location: sp.sloUrl }] } : {}),
    });
  /** The query of a redirect, and its octet string as the signature covers it (RFC: no Signature). */
  const redirectQuery = (location: string) => {
    const url = new URL(location);
    const raw = url.search.slice(1).split("&");
    const octetString = raw.filter((pair) => !pair.startsWith("Signature=")).join("&");
    return { url, query: Object.fromEntries(url.searchParams), octetString };
  };

  return {
    entityId,
    ssoUrl,
    metadata: idp.getMetadata(),
    async parseRequest(location, sp) {
      const { url, query, octetString } = redirectQuery(location);
      const parsed = await idp.parseLoginRequest(spOf(sp), "redirect", { query, octetString });
      return {
        id: parsed.extract.request.id,
        relayState: url.searchParams.get("RelayState") ?? "",
        ...(parsed.sigAlg ? { sigAlg: parsed.sigAlg } : {}),
      };
    },
    async answerLogout(location, sp) {
      const { url, query, octetString } = redirectQuery(location);
      const target = spOf(sp);
      const parsed = await idp.parseLogoutRequest(target, "redirect", { query, octetString });
      const relayState = url.searchParams.get("RelayState") ?? "";
      const made = idp.createLogoutResponse(target, parsed, "post", relayState);
      return {
        requestId: parsed.extract.request.id,
        ...(parsed.extract.nameID !== undefined ? { nameId: parsed.extract.nameID } : {}),
        ...(parsed.extract.sessionIndex !== undefined ? { sessionIndex: parsed.extract.sessionIndex } : {}),
        samlResponse: made.context,
        relayState,
      };
    },
    async respond(o) {
      const at = o.at ?? new Date();
      const until = new Date(at.getTime() + (o.lifetimeSeconds ?? 300) * 1000);
      const id = `_${crypto.randomUUID()}`;
      const values: Record<string, string> = {
        ID: id,
        AssertionID: `_${crypto.randomUUID()}`,
        Destination: o.acsUrl,
        Audience: o.audience,
        SubjectRecipient: o.acsUrl,
        Issuer: entityId,
        IssueInstant: at.toISOString(),
        StatusCode: "urn:oasis:names:tc:SAML:2.0:status:Success",
        ConditionsNotBefore: at.toISOString(),
        ConditionsNotOnOrAfter: until.toISOString(),
        SubjectConfirmationDataNotOnOrAfter: until.toISOString(),
        NameIDFormat: UNSPECIFIED,
        NameID: o.nameId,
        InResponseTo: o.request?.id ?? "",
        AuthnStatement: "",
      };
      for (const name of ATTRIBUTES)
        values[
          `attr${name.replace(/_(.)/g, (_m, ch: string) => ch.toUpperCase()).replace(/^./, (ch) => ch.toUpperCase())}`
        ] = o.attributes?.[name] ?? "";
      const made = await (o.encryptTo ? encrypter(options.signWith ?? keys) : signer).createLoginResponse(
        spOf({ entityId: o.audience, acsUrl: o.acsUrl, ...(o.encryptTo ? { encryptCert: o.encryptTo } : {}) }),
        null,
        "post",
        {},
        {
          customTagReplacement: (t) => {
            // The AuthnStatement is an element (replaceTagsByValue would escape it as text).
            const statement =
              o.sessionIndex === undefined
                ? ""
                : `<saml:AuthnStatement AuthnInstant="${at.toISOString()}" SessionIndex="${o.sessionIndex}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;
            let xml = lib.SamlLib.replaceTagsByValue(t.replace("{AuthnStatement}", statement), values);
            // An unsolicited response answers no request: no InResponseTo at all.
            if (!o.request) xml = xml.replace(/ InResponseTo=""/g, "");
            return { id, context: xml };
          },
        },
      );
      if (o.signature !== "none") return made.context;
      const doc = new DOMParser().parseFromString(Buffer.from(made.context, "base64").toString("utf8"), "text/xml");
      for (const sig of Array.from(doc.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature")))
        sig.parentNode?.removeChild(sig);
      return Buffer.from(new XMLSerializer().serializeToString(doc)).toString("base64");
    },
  };
}

/** A certificate as PEM, given as PEM or as base64 DER (as GetSigningCertificate answers it). */
function pemOf(certificate: string): string {
  if (certificate.includes("-----BEGIN")) return certificate;
  const body = certificate
    .replace(/\s+/g, "")
    .replace(/(.{64})/g, "$1\n")
    .replace(/\n$/, "");
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}
