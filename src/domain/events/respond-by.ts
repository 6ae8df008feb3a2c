// The deadline for answers (SPEC §11): optional, in the future when set.
import { validationError } from '../errors.js';
import { formatInstant } from '../slots.js';

/** Refuses a deadline that is not after `now` (the schema cannot: it has no clock). */
export function requireFutureRespondBy(respondBy: Date | null | undefined, now: Date): void {
  if (respondBy && respondBy.getTime() <= now.getTime()) {
    throw validationError({ respond_by: [`Must be in the future (it is now ${formatInstant(now)}).`] });
  }
}

/** The deadline as the API and the log show it (SPEC §2 output form); null when unset. */
export function respondByText(respondBy: Date | null): string | null {
  return respondBy ? formatInstant(respondBy) : null;
}
