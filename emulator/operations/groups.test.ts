// Groups through SDK v3: their lifecycle, membership, listing and paging, what reaches the
// tokens (cognito:groups by precedence), and a seeded pool whose grouped users sign in.
import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimsOf, createClient, createPool, createUser, signIn } from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";
import type { SeedFile } from "../seed.js";

let t: TestTwin;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  t = await startTwin();
  poolId = await createPool(t, { UsernameAttributes: ["email"] });
  ({ clientId } = await createClient(t, poolId));
});
afterAll(() => t.close());

const ROLE = "arn:aws:iam::123456789012:role/editors";
const add = (Username: string, GroupName: string) =>
  t.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username, GroupName }));
const groupsOf = async (Username: string) =>
  (await t.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username }))).Groups!.map(
    (g) => g.GroupName,
  );
const membersOf = async (GroupName: string) =>
  (await t.cognito.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName }))).Users!.map(
    (u) => u.Attributes!.find((a) => a.Name === "email")!.Value,
  );

describe("group lifecycle", () => {
  it("creates, reads, updates and refuses duplicates", async () => {
    const created = await t.cognito.send(
      new CreateGroupCommand({
        UserPoolId: poolId,
        GroupName: "editors",
        Description: "Can edit",
        Precedence: 5,
        RoleArn: ROLE,
      }),
    );
    expect(created.Group).toMatchObject({
      GroupName: "editors",
      UserPoolId: poolId,
      Description: "Can edit",
      Precedence: 5,
      RoleArn: ROLE,
    });
    expect(created.Group!.CreationDate).toBeInstanceOf(Date);
    expect(created.Group!.LastModifiedDate).toBeInstanceOf(Date);
    await expect(
      t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "editors" })),
    ).rejects.toMatchObject({
      name: "GroupExistsException",
      message: "A group with the name editors already exists.",
    });

    t.twin.services.clock.advance(10);
    const updated = await t.cognito.send(
      new UpdateGroupCommand({ UserPoolId: poolId, GroupName: "editors", Description: "Edits things" }),
    );
    expect(updated.Group).toMatchObject({ Description: "Edits things", Precedence: 5, RoleArn: ROLE });
    expect(updated.Group!.LastModifiedDate!.getTime()).toBeGreaterThan(created.Group!.LastModifiedDate!.getTime());
    expect(updated.Group!.CreationDate).toEqual(created.Group!.CreationDate);
    expect((await t.cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: "editors" }))).Group).toEqual(
      updated.Group,
    );

    for (const command of [
      new GetGroupCommand({ UserPoolId: poolId, GroupName: "nope" }),
      new UpdateGroupCommand({ UserPoolId: poolId, GroupName: "nope", Precedence: 1 }),
      new DeleteGroupCommand({ UserPoolId: poolId, GroupName: "nope" }),
      new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: "nope" }),
    ]) {
      await expect(t.cognito.send(command as never)).rejects.toMatchObject({
        name: "ResourceNotFoundException",
        message: "Group not found.",
      });
    }
    await expect(
      t.cognito.send(new CreateGroupCommand({ UserPoolId: "us-east-1_nothere", GroupName: "x" })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_nothere does not exist.",
    });
  });

  it("validates names and precedence against the model", async () => {
    await expect(
      t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "bad", Precedence: -1 })),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0",
    });
  });

  it("lists groups by name, a page at a time", async () => {
    for (const name of ["g-c", "g-a", "g-b"])
      await t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: name }));
    const first = await t.cognito.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2 }));
    expect(first.Groups!.map((g) => g.GroupName)).toEqual(["editors", "g-a"]);
    const second = await t.cognito.send(
      new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken: first.NextToken! }),
    );
    expect(second.Groups!.map((g) => g.GroupName)).toEqual(["g-b", "g-c"]);
    expect(second.NextToken).toBeUndefined();
  });
});

describe("membership", () => {
  it("adds and removes members by email, idempotently, and lists both ways", async () => {
    await createUser(t, poolId, "mia@example.com", {
      attributes: { email: "mia@example.com", email_verified: "true" },
    });
    await createUser(t, poolId, "ned@example.com", {
      attributes: { email: "ned@example.com", email_verified: "true" },
    });
    await add("MIA@example.com", "editors");
    await add("mia@example.com", "editors");
    await add("mia@example.com", "g-a");
    await add("ned@example.com", "editors");
    expect(await groupsOf("mia@example.com")).toEqual(["editors", "g-a"]);
    expect(await membersOf("editors")).toHaveLength(2);
    expect((await membersOf("editors")).sort()).toEqual(["mia@example.com", "ned@example.com"]);

    await t.cognito.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: "ned@example.com", GroupName: "editors" }),
    );
    await t.cognito.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: "ned@example.com", GroupName: "editors" }),
    );
    expect(await membersOf("editors")).toEqual(["mia@example.com"]);
    expect(await groupsOf("ned@example.com")).toEqual([]);

    await expect(add("nobody@example.com", "editors")).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    await expect(add("mia@example.com", "nope")).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "Group not found.",
    });
    await expect(groupsOf("nobody@example.com")).rejects.toMatchObject({ name: "UserNotFoundException" });
  });

  it("pages members of a group", async () => {
    await t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "crowd" }));
    for (let i = 0; i < 5; i++) {
      await createUser(t, poolId, `c${i}@example.com`, { attributes: { email: `c${i}@example.com` } });
      await add(`c${i}@example.com`, "crowd");
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const out = await t.cognito.send(
        new ListUsersInGroupCommand({
          UserPoolId: poolId,
          GroupName: "crowd",
          Limit: 2,
          ...(token ? { NextToken: token } : {}),
        }),
      );
      expect(out.Users!.length).toBeLessThanOrEqual(2);
      seen.push(...out.Users!.map((u) => u.Username!));
      token = out.NextToken;
    } while (token);
    expect(new Set(seen).size).toBe(5);
  });

  it("forgets the memberships of a deleted group and of a deleted user", async () => {
    await t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "temp" }));
    await createUser(t, poolId, "ora@example.com", { attributes: { email: "ora@example.com" } });
    await add("ora@example.com", "temp");
    await t.cognito.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: "temp" }));
    expect(await groupsOf("ora@example.com")).toEqual([]);
    expect(
      t.twin.services.store.getUser(
        poolId,
        t.twin.services.store.findUsersByAttribute(poolId, "email", "ora@example.com")[0]!.username,
      )!.groups,
    ).toEqual([]);
    // A new group of the same name starts empty.
    await t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "temp" }));
    expect(await membersOf("temp")).toEqual([]);

    await add("ora@example.com", "temp");
    await t.cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: "ora@example.com" }));
    expect(await membersOf("temp")).toEqual([]);
  });
});

describe("groups in tokens", () => {
  it("lists cognito:groups by precedence in tokens issued after joining, and drops deleted groups", async () => {
    await t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "admins", Precedence: 1 }));
    await t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "readers", Precedence: 10 }));
    await t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "unranked" }));
    await createUser(t, poolId, "pat@example.com", {
      attributes: { email: "pat@example.com", email_verified: "true" },
    });
    const before = await signIn(t, clientId, "pat@example.com");
    expect(claimsOf(before.AccessToken)).not.toHaveProperty("cognito:groups");

    for (const g of ["unranked", "readers", "editors", "admins"]) await add("pat@example.com", g);
    const after = await signIn(t, clientId, "pat@example.com");
    expect(claimsOf(after.AccessToken)["cognito:groups"]).toEqual(["admins", "editors", "readers", "unranked"]);
    expect(claimsOf(after.IdToken)["cognito:groups"]).toEqual(["admins", "editors", "readers", "unranked"]);

    await t.cognito.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: "readers", Precedence: 0 }));
    await t.cognito.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: "admins" }));
    const later = await signIn(t, clientId, "pat@example.com");
    expect(claimsOf(later.AccessToken)["cognito:groups"]).toEqual(["readers", "editors", "unranked"]);
  });
});

describe("seeded groups", () => {
  it("creates grouped users from a --config seed who sign in with their groups in the token", async () => {
    const seed: SeedFile = {
      UserPools: [
        {
          Id: "us-east-1_SeedGrp01",
          PoolName: "seeded",
          UsernameAttributes: ["email"],
          Clients: [
            {
              ClientName: "web",
              ClientId: "seedgroupsclient000000000a",
              ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            },
          ],
          Groups: [
            { GroupName: "admin", Precedence: 0, Description: "Administrators" },
            { GroupName: "staff", Precedence: 5 },
          ],
          Users: [
            {
              Username: "root@example.com",
              Password: "Adm1n-Passw0rd",
              Attributes: { email_verified: "true" },
              Groups: ["staff", "admin"],
            },
            { Username: "plain@example.com", Password: "Us3r-Passw0rd" },
          ],
        },
      ],
    };
    const seeded = await startTwin({ seed });
    try {
      const listed = await seeded.cognito.send(new ListGroupsCommand({ UserPoolId: "us-east-1_SeedGrp01" }));
      expect(listed.Groups!.map((g) => [g.GroupName, g.Precedence])).toEqual([
        ["admin", 0],
        ["staff", 5],
      ]);
      const root = await signIn(seeded, "seedgroupsclient000000000a", "root@example.com", "Adm1n-Passw0rd");
      expect(claimsOf(root.AccessToken)["cognito:groups"]).toEqual(["admin", "staff"]);
      const plain = await signIn(seeded, "seedgroupsclient000000000a", "plain@example.com", "Us3r-Passw0rd");
      expect(claimsOf(plain.AccessToken)).not.toHaveProperty("cognito:groups");
      const members = await seeded.cognito.send(
        new ListUsersInGroupCommand({ UserPoolId: "us-east-1_SeedGrp01", GroupName: "admin" }),
      );
      expect(members.Users!.map((u) => u.Attributes!.find((a) => a.Name === "email")?.Value)).toEqual([
        "root@example.com",
      ]);

      // Reset re-applies the seed: the groups and memberships come back as they were.
      await seeded.cognito.send(new DeleteGroupCommand({ UserPoolId: "us-east-1_SeedGrp01", GroupName: "admin" }));
      await seeded.twin.reset();
      const again = await signIn(seeded, "seedgroupsclient000000000a", "root@example.com", "Adm1n-Passw0rd");
      expect(claimsOf(again.AccessToken)["cognito:groups"]).toEqual(["admin", "staff"]);
    } finally {
      await seeded.close();
    }
  });

  it("names the seed entry whose group does not exist", async () => {
    const seed: SeedFile = {
      UserPools: [
        {
          Id: "us-east-1_SeedGrp02",
          PoolName: "broken",
          Users: [{ Username: "lost", Password: "L0st-Passw0rd", Groups: ["missing"] }],
        },
      ],
    };
    await expect(startTwin({ seed })).rejects.toThrow(
      "UserPools[0] (us-east-1_SeedGrp02) user lost: ResourceNotFoundException: Group not found.",
    );
  });
});
