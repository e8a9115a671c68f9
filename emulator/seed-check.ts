// The --config seed file checked as strictly as the API checks a request, before anything is
// created: the root and every entry must have the seed's shape (no unknown or misspelt keys),
// and what becomes a request (a pool, a client, a group, a user's name, password and attributes)
// must satisfy AWS's model with the same validator the API's front door uses. Each problem names
// its entry by path, `UserPools[0].Clients[1].ExplicitAuthFlows[0]`
// (docs/decisions/0029-attribute-updates-and-seed.md).
import { HOSTED_PATHS } from "./http/hosted/index.js";
import { model, type OperationName } from "./model/index.js";
import { closestName, ModelValidator } from "./protocol/validate.js";
import { FaultRuleError, Faults } from "./services/faults.js";

const validator = new ModelValidator(model);

/** The most problems one message lists; the count says how many there were. */
const MAX_LISTED = 20;

/** The seed's own members of a pool, beside CreateUserPool's request members. */
const POOL_KEYS = [
  "Id",
  "Domain",
  "CustomDomain",
  "ResourceServers",
  "IdentityProviders",
  "Clients",
  "Groups",
  "Users",
] as const;
const ROOT_KEYS = ["UserPools", "Triggers", "Faults"] as const;
const USER_KEYS = ["Username", "Password", "Attributes", "Groups"] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/** The input shape of an operation. */
function inputOf(operation: OperationName): string {
  const shape = model.operations[operation].input;
  if (!shape) throw new Error(`model: ${operation} has no input`);
  return shape;
}

/** The shape of one member of a structure of the model. */
function memberShape(structure: string, member: string): string {
  const shape = model.shapes[structure]?.members?.[member]?.shape;
  if (!shape) throw new Error(`model: ${structure} has no member ${member}`);
  return shape;
}

/** Unknown keys of an entry whose keys the seed defines itself. */
function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], path: string, out: string[]): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const near = closestName(key, allowed);
    out.push(`Unknown key '${path ? `${path}.` : ""}${key}'${near ? `: did you mean '${near}'?` : ""}`);
  }
}

/** A list member of an entry: each item handed to `each` with its path; absent is empty. */
function eachOf(value: unknown, path: string, out: string[], each: (item: unknown, itemPath: string) => void): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    out.push(`'${path}' must be a list, not ${kindOf(value)}`);
    return;
  }
  for (const [i, item] of value.entries()) each(item, `${path}[${i}]`);
}

/** A request-shaped entry (`UserPoolId` filled in by the seed), checked against the model. */
function checkRequest(
  operation: OperationName,
  value: unknown,
  path: string,
  out: string[],
  handled: readonly string[] = [],
): void {
  out.push(...validator.checkStrict(inputOf(operation), value, path, ["UserPoolId"], handled));
}

function checkDomain(value: unknown, path: string, out: string[]): void {
  if (typeof value !== "string" && !isObject(value))
    out.push(
      `'${path}' must be a prefix ("myapp") or a CreateUserPoolDomain request without UserPoolId, not ${kindOf(value)}`,
    );
  else if (typeof value === "string")
    out.push(...validator.checkStrict(memberShape(inputOf("CreateUserPoolDomain"), "Domain"), value, path));
  else checkRequest("CreateUserPoolDomain", value, path, out);
}

function checkClient(value: unknown, path: string, out: string[]): void {
  if (!isObject(value)) {
    out.push(`'${path}' must be an object (CreateUserPoolClient's request without UserPoolId), not ${kindOf(value)}`);
    return;
  }
  // ClientId (and ClientSecret, where the model's request has no such member) are the seed's own.
  const own = (["ClientId", "ClientSecret"] as const).filter(
    (key) => !model.shapes[inputOf("CreateUserPoolClient")]?.members?.[key],
  );
  checkRequest("CreateUserPoolClient", value, path, out, own);
  for (const key of own) {
    if (value[key] !== undefined)
      out.push(...validator.checkStrict(memberShape("UserPoolClientType", key), value[key], `${path}.${key}`));
  }
}

function checkUser(value: unknown, path: string, out: string[]): void {
  if (!isObject(value)) {
    out.push(`'${path}' must be an object with Username (and Password, Attributes, Groups), not ${kindOf(value)}`);
    return;
  }
  unknownKeys(value, USER_KEYS, path, out);
  if (value.Username === undefined)
    out.push(`Value null at '${path}.Username' failed to satisfy constraint: Member must not be null`);
  else
    out.push(
      ...validator.checkStrict(memberShape(inputOf("AdminCreateUser"), "Username"), value.Username, `${path}.Username`),
    );
  if (value.Password !== undefined)
    out.push(
      ...validator.checkStrict(
        memberShape(inputOf("AdminSetUserPassword"), "Password"),
        value.Password,
        `${path}.Password`,
      ),
    );
  const attributes = value.Attributes;
  if (attributes !== undefined) {
    if (!isObject(attributes))
      out.push(`'${path}.Attributes' must map attribute names to values, not ${kindOf(attributes)}`);
    else
      for (const [name, v] of Object.entries(attributes)) {
        const where = `${path}.Attributes.${name}`;
        out.push(
          ...validator.checkStrict(memberShape("AttributeType", "Name"), name, `${path}.Attributes key '${name}'`),
        );
        out.push(...validator.checkStrict(memberShape("AttributeType", "Value"), v, where));
      }
  }
  eachOf(value.Groups, `${path}.Groups`, out, (g, p) =>
    out.push(...validator.checkStrict(memberShape(inputOf("AdminAddUserToGroup"), "GroupName"), g, p)),
  );
}

function checkPool(value: unknown, path: string, out: string[]): void {
  if (!isObject(value)) {
    out.push(`'${path}' must be an object (a pool: Id, PoolName, Clients...), not ${kindOf(value)}`);
    return;
  }
  if (typeof value.Id !== "string") out.push(`'${path}.Id' must be a pool id like us-east-1_AbCdEf123`);
  // The pool itself is CreateUserPool's request; the seed's own members are checked below.
  out.push(...validator.checkStrict(inputOf("CreateUserPool"), value, path, [], POOL_KEYS));
  if (value.Domain !== undefined) checkDomain(value.Domain, `${path}.Domain`, out);
  if (value.CustomDomain !== undefined)
    checkRequest("CreateUserPoolDomain", value.CustomDomain, `${path}.CustomDomain`, out);
  eachOf(value.ResourceServers, `${path}.ResourceServers`, out, (v, p) =>
    checkRequest("CreateResourceServer", v, p, out),
  );
  eachOf(value.IdentityProviders, `${path}.IdentityProviders`, out, (v, p) =>
    checkRequest("CreateIdentityProvider", v, p, out),
  );
  eachOf(value.Clients, `${path}.Clients`, out, (v, p) => checkClient(v, p, out));
  eachOf(value.Groups, `${path}.Groups`, out, (v, p) => checkRequest("CreateGroup", v, p, out));
  eachOf(value.Users, `${path}.Users`, out, (v, p) => checkUser(v, p, out));
}

/**
 * Every problem of a seed file's content, each naming its entry; empty when the seed is one the
 * API would accept entry by entry (what only creating it can tell, a duplicate id or a scope no
 * resource server defines, is left to the operations that create it).
 */
export function seedProblems(seed: unknown): string[] {
  const out: string[] = [];
  if (!isObject(seed)) {
    out.push(`the file must hold an object ({"UserPools": [...], "Triggers": {...}}), not ${kindOf(seed)}`);
    return out;
  }
  unknownKeys(seed, ROOT_KEYS, "", out);
  eachOf(seed.UserPools, "UserPools", out, (v, p) => checkPool(v, p, out));
  const triggers = seed.Triggers;
  if (triggers !== undefined) {
    if (!isObject(triggers))
      out.push(`'Triggers' must map function names or ARNs to "./file.ts#export", not ${kindOf(triggers)}`);
    else
      for (const [name, spec] of Object.entries(triggers))
        if (typeof spec !== "string" || spec === "")
          out.push(`'Triggers.${name}' must be a "./file.ts#export" string, not ${kindOf(spec)}`);
  }
  checkFaults(seed.Faults, out);
  return out;
}

/** The fault rules of the file, each checked as POST /_twin/faults checks it (ids unique across them). */
function checkFaults(value: unknown, out: string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    out.push(`'Faults' must be an array of fault rules (docs/faults.md), not ${kindOf(value)}`);
    return;
  }
  const faults = new Faults({ clock: { now: () => Date.now() }, paths: HOSTED_PATHS });
  value.forEach((rule, i) => {
    try {
      faults.add(rule);
    } catch (e) {
      if (!(e instanceof FaultRuleError)) throw e;
      out.push(`'Faults[${i}]${e.field ? `.${e.field}` : ""}': ${e.message}`);
    }
  });
}

/** The message for a seed's problems: the one problem, or how many and the first of them. */
export function describeSeedProblems(problems: readonly string[]): string {
  if (problems.length === 1) return problems[0]!;
  const listed = problems.slice(0, MAX_LISTED).map((p) => `\n  ${p}`);
  const more = problems.length > MAX_LISTED ? `\n  ... and ${problems.length - MAX_LISTED} more` : "";
  return `${problems.length} problems:${listed.join("")}${more}`;
}
