// A pool's attribute schema: the Schema of CreateUserPool and the CustomAttributes of
// AddCustomAttributes checked and merged as Cognito does (docs/decisions/0028).
import type { SchemaAttributeType, UserPoolType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { standardSchema } from "./pools.js";

/**
 * Names a Schema entry updates as the standard attribute rather than creating `custom:<name>`.
 * `email_verified` and `phone_number_verified` are not among them: Cognito takes a Schema entry
 * with either name as a custom attribute (aws-cdk#14699).
 */
const STANDARD_NAMES: ReadonlySet<string> = new Set(
  standardSchema()
    .map((a) => a.Name!)
    .filter((n) => n !== "email_verified" && n !== "phone_number_verified"),
);

/** Longest MinLength or MaxLength a string attribute may have. */
const STRING_LIMIT = 2048;

/**
 * A constraint as a number: a whole number (a string length never below 0), or Cognito's
 * `Invalid <kind> for schema attribute <name>` otherwise. Undefined stays undefined.
 */
function limit(
  value: string | undefined,
  kind: "StringAttributeConstraints" | "NumberAttributeConstraints",
  name: string,
): number | undefined {
  if (value === undefined) return undefined;
  const pattern = kind === "StringAttributeConstraints" ? /^\d{1,10}$/ : /^-?\d{1,19}$/;
  if (!pattern.test(value)) throw errors.invalidSchemaConstraints(kind, name);
  return Number(value);
}

/** Checks an entry's constraints of its own type (the other type's are ignored, as Cognito drops them). */
function checkConstraints(name: string, type: string, add: SchemaAttributeType): void {
  if (type === "String" && add.StringAttributeConstraints) {
    const min = limit(add.StringAttributeConstraints.MinLength, "StringAttributeConstraints", name);
    const max = limit(add.StringAttributeConstraints.MaxLength, "StringAttributeConstraints", name);
    if ((min ?? 0) > STRING_LIMIT || (max ?? 0) > STRING_LIMIT) throw errors.stringAttributeTooLong(name);
    if (min !== undefined && max !== undefined && min > max) throw errors.maxLengthBelowMinLength(name);
  }
  if (type === "Number" && add.NumberAttributeConstraints) {
    const min = limit(add.NumberAttributeConstraints.MinValue, "NumberAttributeConstraints", name);
    const max = limit(add.NumberAttributeConstraints.MaxValue, "NumberAttributeConstraints", name);
    if (min !== undefined && max !== undefined && min > max) throw errors.maxValueBelowMinValue(name);
  }
}

/** Only the members Cognito keeps of a constraints object (the model lets a caller send both, or neither). */
function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

/** A Schema entry naming a standard attribute: Required, Mutable and constraints change; the type never does. */
function updateStandard(existing: Wire<SchemaAttributeType>, add: SchemaAttributeType): void {
  const name = existing.Name!;
  if (add.AttributeDataType !== undefined && add.AttributeDataType !== existing.AttributeDataType)
    throw errors.standardAttributeTypeFixed(name);
  if (add.DeveloperOnlyAttribute) throw errors.standardAttributeTypeFixed(name);
  const type = existing.AttributeDataType!;
  checkConstraints(name, type, add);
  // `sub` may be listed with its own definition (CloudFormation templates do); changing it is refused.
  if (name === "sub") {
    const same =
      (add.Required ?? true) === true &&
      (add.Mutable ?? false) === false &&
      (add.StringAttributeConstraints === undefined ||
        ((add.StringAttributeConstraints.MinLength ?? "1") === "1" &&
          (add.StringAttributeConstraints.MaxLength ?? "2048") === "2048"));
    if (!same) throw errors.subNotModifiable();
    return;
  }
  if (add.Required !== undefined) existing.Required = add.Required;
  if (add.Mutable !== undefined) existing.Mutable = add.Mutable;
  if (type === "String" && add.StringAttributeConstraints)
    existing.StringAttributeConstraints = {
      ...existing.StringAttributeConstraints,
      ...pick(add.StringAttributeConstraints, ["MinLength", "MaxLength"]),
    };
  if (type === "Number" && add.NumberAttributeConstraints)
    existing.NumberAttributeConstraints = {
      ...existing.NumberAttributeConstraints,
      ...pick(add.NumberAttributeConstraints, ["MinValue", "MaxValue"]),
    };
}

/**
 * A custom attribute as DescribeUserPool shows it: `custom:<name>` (`dev:custom:<name>` when
 * developer-only), never required, the constraints of its own type only. A String attribute
 * always has `StringAttributeConstraints` (`{}` when none were given); a Number attribute has
 * `NumberAttributeConstraints` only when some were given.
 */
function customAttribute(name: string, add: SchemaAttributeType): Wire<SchemaAttributeType> {
  const type = add.AttributeDataType;
  if (type === undefined) throw errors.attributeDataTypeMissing();
  if (add.Required) throw errors.requiredCustomAttribute();
  checkConstraints(name, type, add);
  const attr: Wire<SchemaAttributeType> = {
    Name: name,
    AttributeDataType: type,
    DeveloperOnlyAttribute: add.DeveloperOnlyAttribute ?? false,
    Mutable: add.Mutable ?? true,
    Required: false,
  };
  if (type === "String")
    attr.StringAttributeConstraints = pick(add.StringAttributeConstraints ?? {}, ["MinLength", "MaxLength"]);
  if (type === "Number" && add.NumberAttributeConstraints)
    attr.NumberAttributeConstraints = pick(add.NumberAttributeConstraints, ["MinValue", "MaxValue"]);
  return attr;
}

/**
 * Merges a caller's Schema (CreateUserPool) or CustomAttributes (AddCustomAttributes,
 * `customOnly`) into `base`, checking each entry as Cognito does; answers the new schema and
 * leaves `base` alone. With `customOnly`, a standard attribute's name is a new custom attribute.
 */
export function mergeSchema(
  base: readonly Wire<SchemaAttributeType>[],
  additions: readonly SchemaAttributeType[] | undefined,
  opts: { customOnly?: boolean } = {},
): Wire<SchemaAttributeType>[] {
  const schema = base.map((a) => ({ ...a }));
  for (const add of additions ?? []) {
    const name = add.Name ?? "";
    if (!opts.customOnly && STANDARD_NAMES.has(name)) {
      updateStandard(schema.find((a) => a.Name === name)!, add);
      continue;
    }
    // A name the schema has is refused before anything else about the entry is looked at.
    const full = `${add.DeveloperOnlyAttribute ? "dev:" : ""}custom:${name}`;
    if (schema.some((a) => a.Name === full)) throw errors.customAttributeExists(`custom:${name}`, full);
    schema.push(customAttribute(full, add));
  }
  return schema;
}

/** The verification message settings of CreateUserPool and UpdateUserPool. */
type MessageSettings = Pick<
  UserPoolType,
  "SmsVerificationMessage" | "EmailVerificationMessage" | "EmailVerificationSubject" | "VerificationMessageTemplate"
>;

/**
 * The verification messages as the pool keeps them: each legacy field (EmailVerificationMessage,
 * EmailVerificationSubject, SmsVerificationMessage) and its VerificationMessageTemplate member
 * (EmailMessage, EmailSubject, SmsMessage) hold the same text, whichever of the two the caller
 * set; where a caller sets both, the template's wins (docs/decisions/0028).
 */
export function verificationMessages(input: MessageSettings): Wire<MessageSettings> {
  const template = { ...input.VerificationMessageTemplate };
  const pairs = [
    ["EmailVerificationMessage", "EmailMessage"],
    ["EmailVerificationSubject", "EmailSubject"],
    ["SmsVerificationMessage", "SmsMessage"],
  ] as const;
  const out: Wire<MessageSettings> = {};
  for (const [legacy, member] of pairs) {
    const text = template[member] ?? input[legacy];
    if (text === undefined) continue;
    template[member] = text;
    out[legacy] = text;
  }
  out.VerificationMessageTemplate = { DefaultEmailOption: "CONFIRM_WITH_CODE", ...template };
  return out;
}
