// Typed domain failures. Codes only: each door maps them once (http/error-handler.ts,
// mail/inbound/reply-error.ts).

export type DomainErrorCode =
  | 'validation' // fields: { field: [messages] }
  | 'not_authenticated'
  | 'forbidden'
  | 'not_organizer' // only the owner (or staff) may decide: book a time
  | 'event_not_found'
  | 'token_expired'
  | 'token_wrong_event'
  | 'stale_slots' // details: { slots }
  | 'slot_not_listed' // a booking named a slot not (or no longer) in the list; details: { slots, number? }
  | 'event_closed' // cancelled events cannot change
  | 'already_applied' // the inbound message that asked for this change was processed already
  | 'busy' // a lock could not be had in time; details: { retryAfter } seconds
  | 'throttled'
  | 'user_exists';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export type FieldErrors = Record<string, string[]>;

export function validationError(fields: FieldErrors): DomainError {
  return new DomainError('validation', 'Invalid input', { fields });
}
