// Where log lines go.

/** A line logger; `debug` is dropped unless the log level asks for it. */
export interface Logger {
  info(line: string): void;
  debug(line: string): void;
  error(line: string): void;
}
