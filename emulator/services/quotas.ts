// The quota mode (`--quotas`): Cognito's request-rate quotas per operation category, counted on
// the emulator's clock over a sliding second, so a load test sees TooManyRequestsException where
// production would (docs/faults.md, docs/decisions/0032-faults-and-quotas.md).
import {
  CHALLENGE_OPERATIONS,
  DEFAULT_QUOTAS,
  PER_POOL_CATEGORIES,
  PER_POOL_OPERATION_RPS,
  QUOTA_CATEGORIES,
  QUOTA_CATEGORY_OF,
  type QuotaCategory,
} from "../core/quotas.js";
import type { OperationName } from "../model/index.js";

/**
 * The times of the last `limit` requests a quota let through, oldest first in a ring: a request
 * passes when fewer than `limit` of them fall in the second before it. O(1) per request, and the
 * memory is the limit, whatever the rate.
 */
class Window {
  readonly #times: Float64Array;
  #next = 0;
  constructor(readonly limit: number) {
    this.#times = new Float64Array(limit).fill(Number.NEGATIVE_INFINITY);
  }

  /** Whether one more request fits in the second ending at `now`. */
  fits(now: number): boolean {
    // The slot about to be overwritten holds the oldest of the last `limit` passes. A time after
    // `now` (the clock moved back) no longer counts, as if that second had passed.
    const oldest = this.#times[this.#next]!;
    return !(oldest > now - 1000 && oldest <= now);
  }

  record(now: number): void {
    this.#times[this.#next] = now;
    this.#next = (this.#next + 1) % this.limit;
  }
}

/** What a quota refusal names, for the fault log and `GET /_twin/faults`. */
export interface QuotaRefusal {
  readonly category: QuotaCategory;
  /** `region` for the account's category quota, `pool` for the 5 RPS of one operation on one pool. */
  readonly scope: "region" | "pool";
}

/** Counts requests against the category quotas of each Region, and of each pool where AWS does. */
export class QuotaLimiter {
  /** The rate of each category: AWS's defaults with the configured overrides. */
  readonly rates: Readonly<Record<QuotaCategory, number>>;
  readonly #windows = new Map<string, Window>();
  /** How many requests each category refused since the last clear. */
  readonly #refused = new Map<QuotaCategory, number>();

  constructor(overrides: Readonly<Partial<Record<QuotaCategory, number>>> = {}) {
    this.rates = Object.freeze(
      Object.fromEntries(QUOTA_CATEGORIES.map((c) => [c, overrides[c] ?? DEFAULT_QUOTAS[c]])),
    ) as Record<QuotaCategory, number>;
  }

  #window(key: string, limit: number): Window {
    let w = this.#windows.get(key);
    if (!w) {
      w = new Window(limit);
      this.#windows.set(key, w);
    }
    return w;
  }

  /**
   * Counts one request of `operation` at `now` (epoch ms): undefined when it is within the quotas
   * (and then counted), else which quota refuses it (and nothing is counted). Quotas hold per
   * account and Region, as AWS's do; the pool matters only for the per-pool operation limit.
   */
  take(operation: OperationName, region: string, poolId: string | undefined, now: number): QuotaRefusal | undefined {
    const category = QUOTA_CATEGORY_OF[operation];
    if (!category) return undefined;
    const perPool =
      poolId !== undefined && PER_POOL_CATEGORIES.has(category)
        ? this.#window(`pool ${poolId} ${operation}`, PER_POOL_OPERATION_RPS)
        : undefined;
    if (perPool && !perPool.fits(now)) return this.#refuse(category, "pool");
    const categoryWindow = this.#window(`${region} ${category}`, this.rates[category]);
    // RespondToAuthChallenge calls have a quota of their own, three times UserAuthentication's;
    // only what goes beyond it counts towards UserAuthentication.
    let counted = categoryWindow;
    if (CHALLENGE_OPERATIONS.has(operation)) {
      const challenges = this.#window(`${region} challenges`, this.rates.UserAuthentication * 3);
      if (challenges.fits(now)) counted = challenges;
    }
    if (!counted.fits(now)) return this.#refuse(category, "region");
    counted.record(now);
    perPool?.record(now);
    return undefined;
  }

  #refuse(category: QuotaCategory, scope: QuotaRefusal["scope"]): QuotaRefusal {
    this.#refused.set(category, (this.#refused.get(category) ?? 0) + 1);
    return { category, scope };
  }

  /** Requests refused by category since the last clear (categories that refused none are left out). */
  refused(): Partial<Record<QuotaCategory, number>> {
    return Object.fromEntries(this.#refused);
  }

  /** Forgets what was counted (reset). */
  clear(): void {
    this.#windows.clear();
    this.#refused.clear();
  }
}
