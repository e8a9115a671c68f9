// Federated users: the user a sign-in through an identity provider yields (a native user linked
// to that identity, or the `<ProviderName>_<subject>` user Cognito creates and keeps up to
// date), and the links AdminLinkProviderForUser makes and AdminDisableProviderForUser removes.
// The `identities` attribute is rendered from UserRecord.identities. Evidence for each rule:
// docs/decisions/0018-federation.md.
import type { AttributeType } from "@aws-sdk/client-cognito-identity-provider";
import type { Services } from "../../context.js";
import { errors } from "../../core/errors.js";
import { newUuid } from "../../services/ids.js";
import type {
  GroupRecord,
  LinkedIdentity,
  StoredClient,
  StoredPool,
  StoredUser,
  UserRecord,
} from "../../store/types.js";
import { isCognitoProviderName, SOCIAL_PROVIDER_TYPES, type StoredIdentityProvider } from "../identity-providers.js";
import { postAuthentication, preAuthentication } from "../triggers/authentication.js";
import { type InboundFederationAttributes, inboundFederation } from "../triggers/inbound-federation.js";
import { postConfirmation } from "../triggers/post-confirmation.js";
import { preSignUpForExternalProvider } from "../triggers/pre-sign-up.js";
import type { TriggerContext } from "../triggers/run.js";
import { checkRoomForUser, findUser } from "../users/lookup.js";
import { attr, withAttributes } from "../users/records.js";
import { lockUsername, unchanged, updateUser } from "../users/update.js";
import type { UpstreamIdentity } from "./contract.js";

/** What federation uses: the store, the clock, the locks, the user limit and the triggers. */
export type FederationContext = Pick<Services, "store" | "clock" | "locks" | "config"> & TriggerContext;

/** The ProviderAttributeName that names an upstream user by their subject. */
const COGNITO_SUBJECT = "Cognito_Subject";

/** The most identities AdminLinkProviderForUser links to one user. */
const MAX_LINKS = 5;

/**
 * The federated user's username: `<ProviderName>_<subject>`. A pool with case-insensitive
 * usernames (the default) stores it in lower case, as Cognito's id tokens show it there
 * (`google_1172...`), while case-sensitive pools keep the provider's spelling (`Google_1172...`).
 */
function federatedUsername(pool: StoredPool, providerName: string, subject: string): string {
  const name = `${providerName}_${subject}`;
  return pool.pool.UsernameConfiguration?.CaseSensitive === true ? name : name.toLowerCase();
}

/** The `identities` attribute: Cognito's JSON list, `issuer` null, `dateCreated` in epoch milliseconds. */
function identitiesValue(identities: readonly LinkedIdentity[]): string {
  return JSON.stringify(
    identities.map((i) => ({
      userId: i.value,
      providerName: i.providerName,
      providerType: i.providerType,
      issuer: null,
      primary: i.primary,
      dateCreated: i.dateCreated,
    })),
  );
}

/** Sets `user.identities` and the `identities` attribute that shows them (removed when none). */
function setIdentities(user: UserRecord, identities: LinkedIdentity[]): void {
  if (identities.length === 0) {
    delete user.identities;
    user.attributes = withAttributes(user.attributes, { identities: undefined });
    return;
  }
  user.identities = identities;
  const value = identitiesValue(identities);
  if (attr(user, "identities") !== undefined) user.attributes = withAttributes(user.attributes, { identities: value });
  else {
    // Listed right after `sub`, as Cognito lists it.
    const at = user.attributes.findIndex((a) => a.Name === "sub") + 1;
    user.attributes.splice(at, 0, { Name: "identities", Value: value });
  }
}

/** One upstream value as a pool attribute's string: booleans as "true"/"false", lists as `[a, b]`. */
function attributeValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "number" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ")}]`;
  return JSON.stringify(value);
}

/**
 * The pool attributes the provider's AttributeMapping makes of the upstream attributes: each
 * mapped pool attribute whose upstream attribute the sign-in carried (`username` names the
 * user and is not an attribute).
 */
function mappedAttributes(provider: StoredIdentityProvider, identity: UpstreamIdentity): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const [poolAttribute, upstream] of Object.entries(provider.provider.AttributeMapping ?? {})) {
    if (poolAttribute === "username" || !Object.hasOwn(identity.attributes, upstream)) continue;
    const value = attributeValue(identity.attributes[upstream]);
    if (value !== undefined) mapped[poolAttribute] = value;
  }
  return mapped;
}

/**
 * The inbound federation event's `request.attributes`: a SAML provider's assertion attributes
 * as `samlResponse`; an OIDC or social provider's token response, id token claims and userinfo,
 * as its protocol kept them (`raw`), else its attributes as the id token's claims.
 */
function inboundAttributes(provider: StoredIdentityProvider, identity: UpstreamIdentity): InboundFederationAttributes {
  if (provider.provider.ProviderType === "SAML") return { samlResponse: { ...identity.attributes } };
  if (identity.raw) return identity.raw;
  return { idToken: { ...identity.attributes } };
}

/** The identity `user` has for this provider and subject (or attribute), if any. */
function identityOf(user: StoredUser, providerName: string, attributeName: string, value: string) {
  return user.identities?.find(
    (i) => i.providerName === providerName && i.attributeName === attributeName && i.value === value,
  );
}

/**
 * The user a sign-in through `provider` yields for the upstream user `identity`, as Cognito
 * resolves it: a native user the identity was linked to (AdminLinkProviderForUser, by subject
 * or by a mapped attribute), else the federated user `<ProviderName>_<subject>`, created on the
 * first sign-in. Either way the mapped attributes are written from this sign-in. A new federated
 * user has status EXTERNAL_PROVIDER, the `identities` attribute and the provider's group
 * `<poolId>_<ProviderName>`; the pool's pre sign-up trigger (PreSignUp_ExternalProvider) runs
 * before it exists (a failing trigger leaves no user) and post confirmation
 * (PostConfirmation_ConfirmSignUp) once it is stored; a returning user's sign-in runs pre and
 * post authentication instead. Before all of them the inbound federation trigger may rewrite the
 * provider's attributes. A disabled user is refused ("User is
 * disabled."), as is a federated user whose provider identity AdminDisableProviderForUser removed.
 */
export async function federatedSignIn(
  ctx: FederationContext,
  pool: StoredPool,
  client: StoredClient,
  provider: StoredIdentityProvider,
  identity: UpstreamIdentity,
): Promise<StoredUser> {
  const name = provider.provider.ProviderName!;
  // The inbound federation trigger sees the provider's answer first, on every sign-in (new and
  // returning users); the attributes it answers are what AttributeMapping maps.
  const answered = pool.pool.LambdaConfig?.InboundFederation
    ? await inboundFederation(ctx, pool, {
        userName: identity.subject,
        clientId: client.client.ClientId,
        providerName: name,
        providerType: provider.provider.ProviderType!,
        attributes: inboundAttributes(provider, identity),
      })
    : undefined;
  const mapped = mappedAttributes(provider, answered ? { ...identity, attributes: answered } : identity);
  const existing = resolve(ctx, pool, provider, identity.subject, mapped);
  if (existing)
    return returning(ctx, pool, client, existing, () =>
      refresh(ctx, pool, existing, provider, identity.subject, mapped),
    );

  const username = federatedUsername(pool, name, identity.subject);
  checkRoomForUser(ctx, pool.id);
  const aliases = (pool.pool.AliasAttributes ?? []) as string[];
  const attributes = Object.entries(mapped).map(([Name, Value]) => ({ Name, Value }));
  // The event's attributes are the mapped ones, with the alias placeholders Cognito adds.
  const eventAttributes: AttributeType[] = [
    ...attributes,
    ...(["email", "phone_number"] as const)
      .filter((a) => aliases.includes(a))
      .map((a) => ({ Name: `cognito:${a}_alias`, Value: "" })),
  ];
  // No lock is held: the function may call the API, AdminLinkProviderForUser above all.
  const preSignUp = await preSignUpForExternalProvider(ctx, pool, {
    userName: username,
    clientId: client.client.ClientId,
    attributes: eventAttributes,
    validationData: [],
  });

  const created = await lockUsername(ctx, pool, username, () => {
    // The function may have linked the identity to a native user, or a concurrent sign-in
    // may have created the user meanwhile: then that is the user this sign-in yields.
    const now = resolve(ctx, pool, provider, identity.subject, mapped);
    if (now) return { user: now, fresh: false };
    checkRoomForUser(ctx, pool.id);
    const time = ctx.clock.now();
    const sub = newUuid();
    const user: UserRecord = {
      poolId: pool.id,
      username,
      sub,
      attributes: withAttributes([{ Name: "sub", Value: sub }], { ...mapped, ...preSignUp.verified }),
      status: "EXTERNAL_PROVIDER",
      enabled: true,
      createdAt: time,
      updatedAt: time,
      codes: {},
      failedSignIns: 0,
      groups: [providerGroup(ctx, pool, name, time)],
      mfa: { sms: false, totp: false, email: false },
    };
    setIdentities(user, [
      {
        providerName: name,
        providerType: provider.provider.ProviderType!,
        attributeName: COGNITO_SUBJECT,
        value: identity.subject,
        primary: true,
        dateCreated: time,
      },
    ]);
    ctx.store.putUser(user);
    return { user: user as StoredUser, fresh: true };
  });
  if (!created.fresh)
    return returning(ctx, pool, client, created.user, () =>
      refresh(ctx, pool, created.user, provider, identity.subject, mapped),
    );
  await postConfirmation(ctx, pool, created.user, {
    source: "PostConfirmation_ConfirmSignUp",
    clientId: client.client.ClientId,
  });
  return ctx.store.getUserBySub(pool.id, created.user.sub) ?? created.user;
}

/**
 * A sign-in of a user the pool already has (a returning federated user, or a native user the
 * identity is linked to): AWS's "Lambda triggers for federated users" lists pre authentication and
 * post authentication (PreAuthentication_Authentication, PostAuthentication_Authentication) for
 * subsequent sign-ins, where a first sign-in has pre sign-up and post confirmation instead. Pre
 * authentication runs before the user is updated from the sign-in (its failure leaves the user as
 * it was), post authentication after; neither gets client metadata (the browser sends none).
 * docs/decisions/0017-lambda-triggers.md, "Federated sign-ins".
 */
async function returning(
  ctx: FederationContext,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  update: () => Promise<StoredUser>,
): Promise<StoredUser> {
  if (!user.enabled) throw errors.userDisabled();
  await preAuthentication(ctx, pool, client, user.username, undefined);
  const updated = await update();
  await postAuthentication(ctx, pool, client, updated, undefined);
  return updated;
}

/**
 * The existing user this identity signs in as: by subject (a link, or the federated user's own
 * identity), by a mapped attribute a link names, or the federated user by username. Refuses
 * the federated user whose identity was removed by AdminDisableProviderForUser.
 */
function resolve(
  ctx: FederationContext,
  pool: StoredPool,
  provider: StoredIdentityProvider,
  subject: string,
  mapped: Readonly<Record<string, string>>,
): StoredUser | undefined {
  const name = provider.provider.ProviderName!;
  const bySubject = ctx.store.findUserByIdentity(pool.id, name, COGNITO_SUBJECT, subject);
  if (bySubject) return bySubject;
  for (const [attribute, value] of Object.entries(mapped)) {
    const linked = ctx.store.findUserByIdentity(pool.id, name, attribute, value);
    if (linked) return linked;
  }
  const federated = ctx.store.getUser(pool.id, federatedUsername(pool, name, subject));
  if (federated) throw errors.userDisabled();
  return undefined;
}

/**
 * A returning sign-in: refuses a disabled user, writes the mapped attributes, and turns a link
 * made by a mapped attribute into a link by subject (AdminDisableProviderForUser then names it
 * by Cognito_Subject, as AWS documents).
 */
async function refresh(
  ctx: FederationContext,
  pool: StoredPool,
  user: StoredUser,
  provider: StoredIdentityProvider,
  subject: string,
  mapped: Readonly<Record<string, string>>,
): Promise<StoredUser> {
  if (!user.enabled) throw errors.userDisabled();
  const name = provider.provider.ProviderName!;
  return updateUser(ctx, pool, user, (copy) => {
    if (!copy.enabled) throw errors.userDisabled();
    let changed = false;
    if (!identityOf(copy, name, COGNITO_SUBJECT, subject)) {
      const link = copy.identities?.find(
        (i) => i.providerName === name && i.attributeName !== COGNITO_SUBJECT && mapped[i.attributeName] === i.value,
      );
      if (link) {
        setIdentities(
          copy,
          copy.identities!.map((i) => (i === link ? { ...i, attributeName: COGNITO_SUBJECT, value: subject } : i)),
        );
        changed = true;
      }
    }
    for (const [attribute, value] of Object.entries(mapped)) {
      if (attr(copy, attribute) === value) continue;
      copy.attributes = withAttributes(copy.attributes, { [attribute]: value });
      changed = true;
    }
    return changed ? (copy as StoredUser) : unchanged(copy as StoredUser);
  });
}

/** The provider's group `<poolId>_<ProviderName>`, created the first time one of its users is. */
function providerGroup(ctx: FederationContext, pool: StoredPool, providerName: string, now: number): string {
  const groupName = `${pool.id}_${providerName}`;
  if (!ctx.store.getGroup(pool.id, groupName)) {
    const record: GroupRecord = {
      poolId: pool.id,
      group: {
        GroupName: groupName,
        UserPoolId: pool.id,
        Description: `Autogenerated group for users who sign in using ${providerName}`,
        LastModifiedDate: now / 1000,
        CreationDate: now / 1000,
      },
    };
    ctx.store.putGroup(record);
  }
  return groupName;
}

/** A SourceUser / User of the linking operations: which identity of which provider. */
export interface ProviderUser {
  readonly ProviderName?: string | undefined;
  readonly ProviderAttributeName?: string | undefined;
  readonly ProviderAttributeValue?: string | undefined;
}

/** The provider, attribute and value a ProviderUserIdentifierType names (each required). */
function namedIdentity(user: ProviderUser | undefined, member: string) {
  if (!user?.ProviderName) throw errors.providerUserIncomplete(`${member}.ProviderName`);
  if (!user.ProviderAttributeValue) throw errors.providerUserIncomplete(`${member}.ProviderAttributeValue`);
  return {
    providerName: user.ProviderName,
    attributeName: user.ProviderAttributeName ?? COGNITO_SUBJECT,
    value: user.ProviderAttributeValue,
  };
}

/**
 * AdminLinkProviderForUser: links the external identity `source` to the existing user
 * `destination` (a native user named by username with ProviderName Cognito, or a federated
 * user by provider and subject), so that signing in through the provider yields that user.
 * The identity must not have signed in yet, nor be linked already; a social provider's is named
 * by Cognito_Subject, an OIDC or SAML provider's by Cognito_Subject or a mapped pool attribute;
 * a user takes at most five links, and none while it has an immutable custom attribute.
 */
export async function linkProviderForUser(
  ctx: Pick<Services, "store" | "clock" | "locks">,
  pool: StoredPool,
  destination: ProviderUser | undefined,
  source: ProviderUser | undefined,
  provider: (name: string) => StoredIdentityProvider,
): Promise<void> {
  const src = namedIdentity(source, "SourceUser");
  if (isCognitoProviderName(src.providerName)) throw errors.linkSourceNotFederated();
  const idp = provider(src.providerName);
  const type = idp.provider.ProviderType!;
  if (src.attributeName !== COGNITO_SUBJECT) {
    if (SOCIAL_PROVIDER_TYPES.has(type)) throw errors.linkSocialNeedsSubject(src.providerName);
    if (src.attributeName === "username" || !Object.hasOwn(idp.provider.AttributeMapping ?? {}, src.attributeName))
      throw errors.linkAttributeNotMapped(src.attributeName, src.providerName);
  }
  const dest = namedIdentity(destination, "DestinationUser");
  const target = isCognitoProviderName(dest.providerName)
    ? findUser(ctx, pool, dest.value)
    : ctx.store.getUser(pool.id, federatedUsername(pool, dest.providerName, dest.value));
  if (!target) throw errors.userNotFound();
  const lockKey = `${pool.id}/identity/${JSON.stringify([src.providerName, src.attributeName, src.value])}`;
  await ctx.locks.run(lockKey, () =>
    updateUser(ctx, pool, target, (copy) => {
      const signedUp =
        src.attributeName === COGNITO_SUBJECT &&
        ctx.store.getUser(pool.id, federatedUsername(pool, src.providerName, src.value)) !== undefined;
      const holder = ctx.store.findUserByIdentity(pool.id, src.providerName, src.attributeName, src.value);
      if (holder && identityOf(holder, src.providerName, src.attributeName, src.value)?.primary) {
        throw errors.linkSourceSignedUp();
      }
      if (holder) throw errors.linkSourceAlreadyLinked();
      if (signedUp) throw errors.linkSourceSignedUp();
      const links = (copy.identities ?? []).filter((i) => !i.primary);
      if (links.length >= MAX_LINKS) throw errors.tooManyLinkedIdentities();
      const immutable = (pool.pool.SchemaAttributes ?? []).find(
        (a) => a.Name!.startsWith("custom:") && a.Mutable === false && attr(copy, a.Name!) !== undefined,
      );
      if (immutable) throw errors.linkDestinationImmutable(immutable.Name!);
      setIdentities(copy, [
        ...(copy.identities ?? []),
        {
          providerName: src.providerName,
          providerType: type,
          attributeName: src.attributeName,
          value: src.value,
          primary: false,
          dateCreated: ctx.clock.now(),
        },
      ]);
    }),
  );
}

/**
 * AdminDisableProviderForUser: the identity `user` names may no longer sign in. A link is
 * removed from the user it was linked to (the next sign-in through the provider creates a new
 * federated user); a federated user loses their own identity and can no longer sign in through
 * the provider; ProviderName Cognito (with the username) takes a native user's password away.
 */
export async function disableProviderForUser(
  ctx: Pick<Services, "store" | "clock" | "locks">,
  pool: StoredPool,
  user: ProviderUser | undefined,
  provider: (name: string) => StoredIdentityProvider,
): Promise<void> {
  const named = namedIdentity(user, "User");
  if (isCognitoProviderName(named.providerName)) {
    const native = findUser(ctx, pool, named.value);
    if (!native || native.status === "EXTERNAL_PROVIDER") throw errors.userNotFound();
    await updateUser(ctx, pool, native, (copy) => {
      delete copy.password;
    });
    return;
  }
  const idp = provider(named.providerName);
  if (SOCIAL_PROVIDER_TYPES.has(idp.provider.ProviderType!) && named.attributeName !== COGNITO_SUBJECT)
    throw errors.linkSocialNeedsSubject(named.providerName);
  const holder = ctx.store.findUserByIdentity(pool.id, named.providerName, named.attributeName, named.value);
  if (!holder) throw errors.userNotFound();
  await updateUser(ctx, pool, holder, (copy) => {
    const rest = (copy.identities ?? []).filter(
      (i) =>
        !(i.providerName === named.providerName && i.attributeName === named.attributeName && i.value === named.value),
    );
    setIdentities(copy, rest);
  });
}
