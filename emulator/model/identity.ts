// The Cognito Identity (identity pools) API model, parsed once, beside the user-pool model of
// index.ts: same trimmed form, same validator, its own operation and exception names.

import { MODEL_JSON } from "./identity-model-data.js";
import type { OperationName as IdentityOperationName } from "./identity-names.js";
import type { OperationDef, ShapeDef } from "./index.js";

export type {
  ModelException as IdentityModelException,
  OperationName as IdentityOperationName,
} from "./identity-names.js";
export { OPERATION_NAMES as IDENTITY_OPERATION_NAMES } from "./identity-names.js";

/** The trimmed cognito-identity model. */
export interface IdentityServiceModel {
  metadata: { apiVersion: string; targetPrefix: string; signingName: string };
  operations: Record<IdentityOperationName, OperationDef>;
  shapes: Record<string, ShapeDef>;
}

/** The identity model, parsed at first import. */
export const identityModel: IdentityServiceModel = JSON.parse(MODEL_JSON) as IdentityServiceModel;
