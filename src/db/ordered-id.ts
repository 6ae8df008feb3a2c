// Time-ordered unique ids in the UUIDv7 layout (RFC 9562 §5.7: 48-bit Unix milliseconds,
// version 7, then random bits). Used for the outbox's Message-IDs: keys that grow with time
// append to the right edge of their unique index, where random UUIDs dirtied a random index
// page per insert (README, Decisions: the measured cost).
import { randomUUID } from 'node:crypto';

export function orderedId(now: number): string {
  // randomUUID draws from a pre-filled entropy cache (randomBytes per call showed in profiles);
  // its v4 layout already has the RFC 9562 variant bits where v7 wants them.
  const random = randomUUID();
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
