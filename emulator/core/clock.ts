// Time for everything that expires (tokens, codes, sessions), movable so tests need no sleeps.

/** A source of the current time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** The clock the emulator uses: real time plus an offset that tests can advance. */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = { now: () => Date.now() }) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  /** Moves the clock forward (or back, with a negative value). */
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /** Seconds the clock runs ahead of its base. */
  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

