// Sign-in throttle per client address and per account. An attempt is counted when it starts,
// before the password KDF runs, so a parallel burst cannot slip past the count; a right
// password takes its count back. Up to `limit` attempts in the sliding window pass freely;
// past it, one more attempt is allowed per delay, which starts at `firstDelayMs` after the
// latest attempt and doubles with each further one, up to `maxDelayMs`. In memory: each
// instance throttles on its own, which still caps guessing at limit × instances.
import { DomainError } from '../../domain/errors.js';

export interface ThrottleOptions {
  limit: number;
  windowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** Keys remembered; past it the least recently used are forgotten (memory bound under a flood). */
  maxEntries: number;
  /** Milliseconds on the app's clock. */
  now: () => number;
}

/** One counted attempt; settle it once its outcome is known. */
export interface Reservation {
  /** The password was right: the attempt is taken back (`clear`: and the key's record dropped). */
  succeeded(clear: boolean): void;
  /** No verdict (e.g. the check could not run): the attempt is taken back. */
  cancel(): void;
}

export class FailureThrottle {
  /** Attempt times per key, oldest first; Map order is least recently used first. */
  private attempts = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly o: ThrottleOptions) {
    this.now = o.now;
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.o.windowMs;
    const list = this.attempts.get(key)?.filter((t) => t > cutoff) ?? [];
    this.attempts.delete(key);
    if (list.length) this.attempts.set(key, list); // moves the key to the most recent end
    return list;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  private wait(list: number[]): number {
    const over = list.length - this.o.limit;
    if (over < 0) return 0;
    const delay = Math.min(this.o.firstDelayMs * 2 ** Math.min(over, 40), this.o.maxDelayMs);
    return Math.max(0, list.at(-1)! + delay - this.now());
  }

  /** Counts an attempt for every key, or throws `throttled` (counting nothing) if one must wait. */
  reserve(keys: string[]): Reservation {
    const lists = keys.map((k) => this.recent(k));
    const waitMs = Math.max(0, ...lists.map((l) => this.wait(l)));
    if (waitMs > 0) {
      const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
      throw new DomainError('throttled', `Too many failed sign-in attempts; try again in ${retryAfter} s.`, { retryAfter });
    }
    const at = this.now();
    for (const [i, key] of keys.entries()) this.attempts.set(key, [...lists[i]!, at]);
    this.evict();
    let settled = false;
    const refund = (clear: boolean) => {
      if (settled) return;
      settled = true;
      for (const key of keys) {
        const list = this.attempts.get(key);
        if (!list) continue;
        const i = list.lastIndexOf(at);
        if (i >= 0) list.splice(i, 1);
        if (clear || !list.length) this.attempts.delete(key);
      }
    };
    return { succeeded: refund, cancel: () => refund(false) };
  }

  private evict(): void {
    for (const key of this.attempts.keys()) {
      if (this.attempts.size <= this.o.maxEntries) break;
      this.attempts.delete(key);
    }
  }
}
