// Where log lines go.

/** A line logger; `debug` is dropped unless the log level asks for it. */
export interface Logger {
  info(line: string): void;
  debug(line: string): void;
  error(line: string): void;
}

/**
 * Joins the lines written in one turn of the event loop into one write: a write to a pipe (a
 * container's stdout) is a system call that blocks on Linux, and the request log writes a line
 * per request. Lines keep their order; what is pending goes out before the next turn, at 64 KiB,
 * on {@link LineBuffer.flush}, and when the process exits.
 */
export class LineBuffer {
  #pending: string[] = [];
  #chars = 0;
  #scheduled = false;
  #hooked = false;

  /** @param sink writes one chunk of whole lines, each ending in a newline. */
  constructor(private readonly sink: (chunk: string) => void) {}

  /** Queues one line (without its newline). */
  write(line: string): void {
    this.#pending.push(line);
    this.#chars += line.length + 1;
    if (!this.#hooked) {
      // Once, for the process: what is pending when it exits is written synchronously then.
      this.#hooked = true;
      process.once("exit", () => this.flush());
    }
    if (this.#chars >= 65_536) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  /** Writes what is pending now. */
  flush(): void {
    if (this.#pending.length === 0) return;
    const chunk = `${this.#pending.join("\n")}\n`;
    this.#pending = [];
    this.#chars = 0;
    this.sink(chunk);
  }
}
