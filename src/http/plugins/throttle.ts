// Counts failed sign-ins per client address and per account in a sliding window; past the
// limit, further attempts are refused (429) until the window moves on. In memory: each
// instance throttles on its own, which still caps guessing at limit × instances.
import { DomainError } from '../../domain/errors.js';

export class FailureThrottle {
  private failures = new Map<string, number[]>();

  constructor(private readonly limit: number, private readonly windowMs: number, private readonly now = () => Date.now()) {}

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Throws `throttled` if any key is over the limit. */
  check(keys: string[]): void {
    for (const key of keys) {
      const list = this.recent(key);
      if (list.length >= this.limit) {
        const retryAfter = Math.ceil((list[0]! + this.windowMs - this.now()) / 1000);
        throw new DomainError('throttled', `Too many failed sign-in attempts; try again in ${retryAfter} s.`, { retryAfter });
      }
    }
  }

  fail(keys: string[]): void {
    for (const key of keys) {
      const list = this.recent(key);
      list.push(this.now());
      this.failures.set(key, list);
    }
    if (this.failures.size > 100_000) this.failures.clear(); // memory bound under a flood
  }
}
