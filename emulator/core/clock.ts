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

/**
 * A clock that stands still until it is told to move: the base time source tests pass as
 * `createApp(config, { clock })`, so no time passes between two lines of a test however loaded
 * the machine is, and an expiry can be checked to the second.
 */
export class ManualClock implements Clock {
  private ms: number;
  constructor(start: number | Date = Date.now()) {
    this.ms = +start;
  }

  now(): number {
    return this.ms;
  }

  /** Sets the time (epoch milliseconds or a Date). */
  set(time: number | Date): void {
    this.ms = +time;
  }

  /** Moves the time forward (or back, with a negative value), in seconds like AdjustableClock. */
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}
