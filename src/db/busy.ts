// A write that could not get the event's row lock in time is "busy", not a crash: a domain
// error the doors answer with 503 + Retry-After (HTTP) or a later retry (mail).
import { DomainError } from '../domain/errors.js';

/** Seconds a client is asked to wait before trying again. */
const RETRY_AFTER_SECONDS = 2;

/** PostgreSQL's lock_not_available (lock_timeout hit), as the pg driver adapter reports it. */
const LOCK_NOT_AVAILABLE = '55P03';
/** Prisma: the interactive transaction could not start, or ran out of time (a queue of writers). */
const TRANSACTION_TIMEOUT = 'P2028';

function isLockTimeout(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  return e.code === TRANSACTION_TIMEOUT || e.meta?.driverAdapterError?.cause?.originalCode === LOCK_NOT_AVAILABLE;
}

/** Rethrows `err`, as `busy` when it is a lock or transaction timeout. */
export function asBusy(err: unknown): never {
  if (isLockTimeout(err)) {
    throw new DomainError('busy', 'The event is being changed by someone else right now; try again in a moment.', { retryAfter: RETRY_AFTER_SECONDS });
  }
  throw err;
}
