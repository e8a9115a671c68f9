// The API model, parsed once, and the types that describe it.
import { MODEL_JSON } from "./model-data.js";
import type { OperationName } from "./names.js";

export type { ModelException, OperationName } from "./names.js";
export { MODEL_EXCEPTIONS, OPERATION_NAMES } from "./names.js";

/** One shape of the model (only the keys validation reads). */
export interface ShapeDef {
  type: "structure" | "string" | "list" | "integer" | "long" | "map" | "boolean" | "blob" | "timestamp";
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  exception?: boolean;
  document?: boolean;
}

/** What the emulator keeps of one operation of the model. */
export interface OperationDef {
  input?: string;
  output?: string;
  errors: string[];
  /** `authtype: none`: callable without SigV4. */
  unsigned: boolean;
}

/** The trimmed cognito-idp model. */
export interface ServiceModel {
  metadata: { apiVersion: string; targetPrefix: string; signingName: string };
  operations: Record<OperationName, OperationDef>;
  shapes: Record<string, ShapeDef>;
}

/** The model, parsed at first import. */
export const model: ServiceModel = JSON.parse(MODEL_JSON) as ServiceModel;
