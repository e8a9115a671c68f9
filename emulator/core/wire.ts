// The JSON 1.1 wire form of an SDK shape.

/** Replaces SDK `Date`s with epoch-second numbers: the JSON 1.1 wire form of a shape. */
export type Wire<T> = T extends Date
  ? number
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
