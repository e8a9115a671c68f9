// Federated users: federatedSignIn called directly with an UpstreamIdentity (the browser flow is
// tested beside /oauth2/idpresponse), and what the API shows and does with the users it yields:
// AdminGetUser, ListUsers, AdminLinkProviderForUser, AdminDisableProviderForUser, the pre sign-up
// and post confirmation triggers, sign-out and deletion.
import {
  AdminDeleteUserCommand,
  AdminDisableProviderForUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  type AdminLinkProviderForUserCommandInput,
  AdminUserGlobalSignOutCommand,
  CreateIdentityProviderCommand,
  type CreateIdentityProviderCommandInput,
  type CreateUserPoolRequest,
  GetGroupCommand,
  InitiateAuthCommand,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PostConfirmationTriggerEvent, PreSignUpTriggerEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD } from "../../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";
import { ManualClock } from "../../core/clock.js";
import { identityProviderOf } from "../identity-providers.js";
import type { UpstreamIdentity } from "./contract.js";
import { federatedSignIn } from "./users.js";

const PRE = "arn:aws:lambda:us-east-1:123456789012:function:pre-signup";
const POST = "arn:aws:lambda:us-east-1:123456789012:function:post-confirmation";
const clock = new ManualClock(Date.UTC(2026, 2, 1, 9));
let t: TestTwin;
beforeAll(async () => {
  t = await startTwin({}, { clock });
});
afterAll(() => t.close());
afterEach(() => t.twin.triggers.clear());

const GOOGLE = {
  ProviderName: "Google",
  ProviderType: "Google",
  ProviderDetails: { client_id: "g-client", client_secret: "g-secret", authorize_scopes: "openid email profile" },
  AttributeMapping: { email: "email", email_verified: "email_verified", name: "name" },
} as const;
const OIDC = {
  ProviderName: "CorpOIDC",
  ProviderType: "OIDC",
  ProviderDetails: {
    client_id: "corp-client",
    attributes_request_method: "GET",
    oidc_issuer: "http://127.0.0.1:4100",
    authorize_scopes: "openid email",
  },
  AttributeMapping: { email: "email" },
} as const;

/** A pool (with `input`) with the providers, and an app client; ids. */
async function setUp(
  providers: readonly Omit<CreateIdentityProviderCommandInput, "UserPoolId">[] = [GOOGLE],
  input: Partial<CreateUserPoolRequest> = {},
) {
  const poolId = await createPool(t, input);
  for (const p of providers)
    await t.cognito.send(
      new CreateIdentityProviderCommand({ ...p, UserPoolId: poolId } as CreateIdentityProviderCommandInput),
    );
  const { clientId } = await createClient(t, poolId, { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] });
  return { poolId, clientId };
}

/** Signs `identity` in through the provider `providerName`, as /oauth2/idpresponse does. */
function signInThrough(poolId: string, clientId: string, providerName: string, identity: UpstreamIdentity) {
  const services = t.twin.services;
  const pool = services.store.getPool(poolId)!;
  const client = services.store.getClient(clientId)!;
  return federatedSignIn(
    { ...services, userAgent: undefined },
    pool,
    client,
    identityProviderOf(pool, providerName)!,
    identity,
  );
}

const ana = (attributes: Record<string, unknown> = {}): UpstreamIdentity => ({
  subject: "104223344556677889900",
  attributes: {
    sub: "104223344556677889900",
    email: "ana@gmail.com",
    email_verified: true,
    name: "Ana",
    locale: "pt",
    ...attributes,
  },
});

const getUser = (poolId: string, username: string) =>
  t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));

const attrs = (list: { Name?: string; Value?: string }[] | undefined) =>
  Object.fromEntries((list ?? []).map((a) => [a.Name!, a.Value!]));

async function expectError(promise: Promise<unknown>, name: string, message?: string | RegExp) {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name?: string; type?: string; message?: string } | undefined;
  expect(err, `expected ${name}, got success`).toBeDefined();
  expect(err!.name === name || err!.type === name, `${err!.name}/${err!.type}: ${err!.message}`).toBe(true);
  if (typeof message === "string") expect(err!.message).toBe(message);
  else if (message) expect(err!.message).toMatch(message);
}

const link = (poolId: string, destination: string, source: AdminLinkProviderForUserCommandInput["SourceUser"]) =>
  t.cognito.send(
    new AdminLinkProviderForUserCommand({
      UserPoolId: poolId,
      DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: destination },
      SourceUser: source,
    }),
  );

describe("the first sign-in through a provider", () => {
  it("creates <ProviderName>_<subject>: EXTERNAL_PROVIDER, the identities attribute, mapped attributes only", async () => {
    const { poolId, clientId } = await setUp();
    const user = await signInThrough(poolId, clientId, "Google", ana());
    // A case-insensitive pool (the default) keeps the username in lower case.
    expect(user.username).toBe("google_104223344556677889900");
    const got = await getUser(poolId, "Google_104223344556677889900");
    expect(got).toMatchObject({
      Username: "google_104223344556677889900",
      UserStatus: "EXTERNAL_PROVIDER",
      Enabled: true,
    });
    expect(got.UserAttributes!.map((a) => a.Name)).toEqual(["sub", "identities", "email", "email_verified", "name"]);
    expect(attrs(got.UserAttributes)).toEqual({
      sub: user.sub,
      identities: `[{"userId":"104223344556677889900","providerName":"Google","providerType":"Google","issuer":null,"primary":true,"dateCreated":${clock.now()}}]`,
      email: "ana@gmail.com",
      email_verified: "true",
      name: "Ana",
    });
    const listed = await t.cognito.send(new ListUsersCommand({ UserPoolId: poolId }));
    expect(listed.Users!.map((u) => [u.Username, u.UserStatus])).toEqual([
      ["google_104223344556677889900", "EXTERNAL_PROVIDER"],
    ]);
    // The provider's group, made for its first user.
    const { Group } = await t.cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: `${poolId}_Google` }));
    expect(Group).toMatchObject({ Description: "Autogenerated group for users who sign in using Google" });
    expect(user.groups).toEqual([`${poolId}_Google`]);
  });

  it("keeps the provider's spelling in a pool with case-sensitive usernames", async () => {
    const { poolId, clientId } = await setUp([GOOGLE], { UsernameConfiguration: { CaseSensitive: true } });
    const user = await signInThrough(poolId, clientId, "Google", ana());
    expect(user.username).toBe("Google_104223344556677889900");
  });

  it("refreshes the mapped attributes on every sign-in, and keeps the user", async () => {
    const { poolId, clientId } = await setUp();
    const first = await signInThrough(poolId, clientId, "Google", ana());
    clock.advance(3600);
    const second = await signInThrough(poolId, clientId, "Google", ana({ name: "Ana Maria", email_verified: "false" }));
    expect(second.sub).toBe(first.sub);
    const got = await getUser(poolId, first.username);
    expect(attrs(got.UserAttributes)).toMatchObject({ name: "Ana Maria", email_verified: "false" });
    expect(got.UserLastModifiedDate!.getTime()).toBe(clock.now());
    const listed = await t.cognito.send(new ListUsersCommand({ UserPoolId: poolId }));
    expect(listed.Users).toHaveLength(1);
  });

  it("maps a SAML-style list attribute as [a, b], and skips attributes the sign-in does not carry", async () => {
    const { poolId, clientId } = await setUp([
      { ...OIDC, AttributeMapping: { email: "email", name: "groups", nickname: "missing" } },
    ]);
    const user = await signInThrough(poolId, clientId, "CorpOIDC", {
      subject: "Emp-42",
      attributes: { email: "e42@corp.example", groups: ["admins", "staff"] },
    });
    expect(user.username).toBe("corpoidc_emp-42");
    expect(attrs(user.attributes as { Name?: string; Value?: string }[])).toMatchObject({
      email: "e42@corp.example",
      name: "[admins, staff]",
    });
    expect(user.attributes.some((a) => a.Name === "nickname")).toBe(false);
  });

  it("refuses a disabled federated user", async () => {
    const { poolId, clientId } = await setUp();
    const user = await signInThrough(poolId, clientId, "Google", ana());
    await t.cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: user.username }));
    await expectError(
      signInThrough(poolId, clientId, "Google", ana({ name: "Changed" })),
      "NotAuthorizedException",
      "User is disabled.",
    );
    expect(attrs((await getUser(poolId, user.username)).UserAttributes).name).toBe("Ana");
  });

  it("a federated user has no password, can be signed out and deleted; the next sign-in makes a new user", async () => {
    const { poolId, clientId } = await setUp();
    const user = await signInThrough(poolId, clientId, "Google", ana());
    await expectError(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: user.username, PASSWORD: PASSWORD },
        }),
      ),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    await t.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: user.username }));
    await t.cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: user.username }));
    const again = await signInThrough(poolId, clientId, "Google", ana());
    expect(again.username).toBe(user.username);
    expect(again.sub).not.toBe(user.sub);
  });
});

describe("the triggers of a federated user's first sign-in", () => {
  const triggers = { LambdaConfig: { PreSignUp: PRE, PostConfirmation: POST } };

  it("runs PreSignUp_ExternalProvider before the user exists and PostConfirmation_ConfirmSignUp after", async () => {
    const { poolId, clientId } = await setUp([GOOGLE], triggers);
    const pre: PreSignUpTriggerEvent[] = [];
    const post: PostConfirmationTriggerEvent[] = [];
    t.twin.triggers.set("pre-signup", async (event: PreSignUpTriggerEvent) => {
      pre.push(structuredClone(event));
      expect(t.twin.services.store.countUsers(poolId)).toBe(0);
      return event;
    });
    t.twin.triggers.set("post-confirmation", async (event: PostConfirmationTriggerEvent) => {
      post.push(structuredClone(event));
      return event;
    });
    const user = await signInThrough(poolId, clientId, "Google", ana());
    expect(pre).toEqual([
      expect.objectContaining({
        triggerSource: "PreSignUp_ExternalProvider",
        userPoolId: poolId,
        userName: "google_104223344556677889900",
        callerContext: expect.objectContaining({ clientId }),
        request: {
          userAttributes: { email: "ana@gmail.com", email_verified: "true", name: "Ana" },
          validationData: {},
        },
        response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      }),
    ]);
    expect(post).toEqual([
      expect.objectContaining({
        triggerSource: "PostConfirmation_ConfirmSignUp",
        userName: user.username,
        callerContext: expect.objectContaining({ clientId }),
        request: {
          userAttributes: {
            sub: user.sub,
            "cognito:user_status": "EXTERNAL_PROVIDER",
            identities: expect.stringContaining('"providerName":"Google"'),
            email: "ana@gmail.com",
            email_verified: "true",
            name: "Ana",
          },
        },
      }),
    ]);
    // Neither runs again on the next sign-in.
    await signInThrough(poolId, clientId, "Google", ana());
    expect([pre.length, post.length]).toEqual([1, 1]);
  });

  it("leaves no user (and no group) when pre sign-up fails, and applies autoVerifyEmail", async () => {
    const { poolId, clientId } = await setUp([GOOGLE], { LambdaConfig: { PreSignUp: PRE } });
    t.twin.triggers.set("pre-signup", async () => {
      throw new Error("No Google accounts");
    });
    await expectError(
      signInThrough(poolId, clientId, "Google", ana()),
      "UserLambdaValidationException",
      "PreSignUp failed with error No Google accounts.",
    );
    expect(t.twin.services.store.countUsers(poolId)).toBe(0);
    expect(t.twin.services.store.listGroups(poolId)).toEqual([]);
    t.twin.triggers.set("pre-signup", async (event: PreSignUpTriggerEvent) => ({
      ...event,
      response: { autoConfirmUser: false, autoVerifyEmail: true, autoVerifyPhone: false },
    }));
    const user = await signInThrough(poolId, clientId, "Google", ana({ email_verified: undefined }));
    expect(attrs(user.attributes as { Name?: string; Value?: string }[]).email_verified).toBe("true");
    expect(user.status).toBe("EXTERNAL_PROVIDER");
  });

  it("yields the native user when pre sign-up links the identity with AdminLinkProviderForUser", async () => {
    const { poolId, clientId } = await setUp([GOOGLE], { LambdaConfig: { PreSignUp: PRE } });
    t.twin.triggers.set("pre-signup", async (event: PreSignUpTriggerEvent) => {
      if (event.triggerSource !== "PreSignUp_ExternalProvider") return event;
      await link(poolId, "ana", {
        ProviderName: "Google",
        ProviderAttributeName: "Cognito_Subject",
        ProviderAttributeValue: event.userName.split("_")[1],
      });
      return event;
    });
    await createUser(t, poolId, "ana", { attributes: { email: "ana@gmail.com", email_verified: "true" } });
    const user = await signInThrough(poolId, clientId, "Google", ana());
    expect(user.username).toBe("ana");
    expect(t.twin.services.store.countUsers(poolId)).toBe(1);
  });
});

describe("AdminLinkProviderForUser", () => {
  it("links by Cognito_Subject: the sign-in yields the native user, who lists the identity", async () => {
    const { poolId, clientId } = await setUp();
    await createUser(t, poolId, "ana");
    await link(poolId, "ana", {
      ProviderName: "Google",
      ProviderAttributeName: "Cognito_Subject",
      ProviderAttributeValue: "104223344556677889900",
    });
    const linkedAt = clock.now();
    const listed = attrs((await getUser(poolId, "ana")).UserAttributes);
    expect(listed.identities).toBe(
      `[{"userId":"104223344556677889900","providerName":"Google","providerType":"Google","issuer":null,"primary":false,"dateCreated":${linkedAt}}]`,
    );
    clock.advance(10);
    const user = await signInThrough(poolId, clientId, "Google", ana({ name: "Ana G." }));
    expect(user.username).toBe("ana");
    const after = await getUser(poolId, "ana");
    expect(after.UserStatus).toBe("CONFIRMED");
    // The mapped attributes are written to the linked user.
    expect(attrs(after.UserAttributes)).toMatchObject({ name: "Ana G.", email: "ana@gmail.com" });
    expect(t.twin.services.store.countUsers(poolId)).toBe(1);
  });

  it("links an OIDC identity by a mapped attribute, and names it by subject after the first sign-in", async () => {
    const { poolId, clientId } = await setUp([OIDC]);
    await createUser(t, poolId, "bob", { attributes: { email: "bob@corp.example" } });
    await link(poolId, "bob", {
      ProviderName: "CorpOIDC",
      ProviderAttributeName: "email",
      ProviderAttributeValue: "bob@corp.example",
    });
    const user = await signInThrough(poolId, clientId, "CorpOIDC", {
      subject: "sub-bob",
      attributes: { email: "bob@corp.example" },
    });
    expect(user.username).toBe("bob");
    expect(JSON.parse(attrs((await getUser(poolId, "bob")).UserAttributes).identities!)).toEqual([
      expect.objectContaining({ userId: "sub-bob", providerName: "CorpOIDC", providerType: "OIDC", primary: false }),
    ]);
    // Now linked by subject: a changed email still finds bob.
    const again = await signInThrough(poolId, clientId, "CorpOIDC", {
      subject: "sub-bob",
      attributes: { email: "robert@corp.example" },
    });
    expect(again.username).toBe("bob");
  });

  it("links to a federated destination, named by its provider and subject", async () => {
    const { poolId, clientId } = await setUp([GOOGLE, OIDC]);
    const google = await signInThrough(poolId, clientId, "Google", ana());
    await t.cognito.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: poolId,
        DestinationUser: { ProviderName: "Google", ProviderAttributeValue: "104223344556677889900" },
        SourceUser: {
          ProviderName: "CorpOIDC",
          ProviderAttributeName: "Cognito_Subject",
          ProviderAttributeValue: "corp-ana",
        },
      }),
    );
    const user = await signInThrough(poolId, clientId, "CorpOIDC", { subject: "corp-ana", attributes: {} });
    expect(user.sub).toBe(google.sub);
  });

  it("refuses a source that has signed up or is linked, and what Cognito refuses about the names", async () => {
    const { poolId, clientId } = await setUp([GOOGLE, OIDC]);
    await createUser(t, poolId, "ana");
    await createUser(t, poolId, "other");
    await signInThrough(poolId, clientId, "Google", ana());
    const subject = {
      ProviderName: "Google",
      ProviderAttributeName: "Cognito_Subject",
      ProviderAttributeValue: "104223344556677889900",
    };
    await expectError(
      link(poolId, "ana", subject),
      "InvalidParameterException",
      "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link",
    );
    const fresh = { ...subject, ProviderAttributeValue: "200" };
    await link(poolId, "ana", fresh);
    await expectError(
      link(poolId, "ana", fresh),
      "InvalidParameterException",
      "SourceUser is already linked to DestinationUser",
    );
    await expectError(
      link(poolId, "other", fresh),
      "InvalidParameterException",
      "SourceUser is already linked to DestinationUser",
    );
    await expectError(
      link(poolId, "ana", { ...fresh, ProviderAttributeName: "email", ProviderAttributeValue: "x@y.z" }),
      "InvalidParameterException",
      "ProviderAttributeName must be Cognito_Subject for the Google identity provider.",
    );
    await expectError(
      link(poolId, "ana", { ProviderName: "CorpOIDC", ProviderAttributeName: "name", ProviderAttributeValue: "Ana" }),
      "InvalidParameterException",
      /ProviderAttributeName name is not mapped/,
    );
    await expectError(
      link(poolId, "nobody", { ...fresh, ProviderAttributeValue: "201" }),
      "UserNotFoundException",
      "User does not exist.",
    );
    await expectError(
      link(poolId, "ana", { ...fresh, ProviderName: "Facebook" }),
      "ResourceNotFoundException",
      "Identity provider Facebook does not exist.",
    );
    await expectError(
      link(poolId, "ana", { ProviderName: "Cognito", ProviderAttributeValue: "other" }),
      "InvalidParameterException",
      /not a Cognito user/,
    );
    await expectError(
      t.cognito.send(
        new AdminLinkProviderForUserCommand({
          UserPoolId: poolId,
          DestinationUser: { ProviderName: "Cognito" },
          SourceUser: fresh,
        }),
      ),
      "InvalidParameterException",
      "Missing required parameter DestinationUser.ProviderAttributeValue",
    );
  });

  it("links at most five identities to a user", async () => {
    const { poolId } = await setUp();
    await createUser(t, poolId, "many");
    for (const n of [1, 2, 3, 4, 5])
      await link(poolId, "many", {
        ProviderName: "Google",
        ProviderAttributeName: "Cognito_Subject",
        ProviderAttributeValue: `s${n}`,
      });
    await expectError(
      link(poolId, "many", {
        ProviderName: "Google",
        ProviderAttributeName: "Cognito_Subject",
        ProviderAttributeValue: "s6",
      }),
      "LimitExceededException",
      "The maximum number of federated identities linked to a user is five.",
    );
    expect(JSON.parse(attrs((await getUser(poolId, "many")).UserAttributes).identities!)).toHaveLength(5);
  });

  it("refuses a destination with an immutable custom attribute", async () => {
    const { poolId } = await setUp([GOOGLE], {
      Schema: [{ Name: "tenant", AttributeDataType: "String", Mutable: false }],
    });
    await createUser(t, poolId, "fixed", { attributes: { "custom:tenant": "acme" } });
    await expectError(
      link(poolId, "fixed", {
        ProviderName: "Google",
        ProviderAttributeName: "Cognito_Subject",
        ProviderAttributeValue: "1",
      }),
      "InvalidParameterException",
      /immutable attribute custom:tenant/,
    );
  });
});

describe("AdminDisableProviderForUser", () => {
  const user = (ProviderName: string, ProviderAttributeValue: string, ProviderAttributeName = "Cognito_Subject") => ({
    ProviderName,
    ProviderAttributeName,
    ProviderAttributeValue,
  });
  const disable = (poolId: string, u: ReturnType<typeof user>) =>
    t.cognito.send(new AdminDisableProviderForUserCommand({ UserPoolId: poolId, User: u }));

  it("removes a link: the native user no longer lists it, and the next sign-in makes a federated user", async () => {
    const { poolId, clientId } = await setUp();
    await createUser(t, poolId, "ana");
    await link(poolId, "ana", user("Google", "104223344556677889900"));
    await disable(poolId, user("Google", "104223344556677889900"));
    expect(attrs((await getUser(poolId, "ana")).UserAttributes).identities).toBeUndefined();
    const signedIn = await signInThrough(poolId, clientId, "Google", ana());
    expect(signedIn.username).toBe("google_104223344556677889900");
  });

  it("stops a federated user signing in through the provider", async () => {
    const { poolId, clientId } = await setUp();
    const fed = await signInThrough(poolId, clientId, "Google", ana());
    await disable(poolId, user("Google", "104223344556677889900"));
    expect(attrs((await getUser(poolId, fed.username)).UserAttributes).identities).toBeUndefined();
    await expectError(signInThrough(poolId, clientId, "Google", ana()), "NotAuthorizedException", "User is disabled.");
    // Nor can the identity be linked elsewhere: it has signed up.
    await createUser(t, poolId, "ana");
    await expectError(
      link(poolId, "ana", user("Google", "104223344556677889900")),
      "InvalidParameterException",
      /Merging/,
    );
  });

  it("with ProviderName Cognito, takes a native user's password away", async () => {
    const { poolId, clientId } = await setUp();
    await createUser(t, poolId, "carl");
    await disable(poolId, user("Cognito", "carl"));
    await expectError(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "carl", PASSWORD },
        }),
      ),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("refuses an identity nobody has, an unknown provider, and a social provider named by attribute", async () => {
    const { poolId } = await setUp();
    await expectError(disable(poolId, user("Google", "nobody")), "UserNotFoundException", "User does not exist.");
    await expectError(disable(poolId, user("Cognito", "nobody")), "UserNotFoundException");
    await expectError(disable(poolId, user("Facebook", "1")), "ResourceNotFoundException");
    await expectError(
      disable(poolId, user("Google", "a@b.c", "email")),
      "InvalidParameterException",
      /Cognito_Subject/,
    );
  });
});
