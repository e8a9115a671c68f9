// Types of the bench's trigger functions (handlers.mjs), for the TypeScript that maps them in-process.
import type { TriggerHandler } from "../../emulator/services/triggers.js";

export declare const preSignUp: TriggerHandler;
export declare const preTokenGeneration: TriggerHandler;
