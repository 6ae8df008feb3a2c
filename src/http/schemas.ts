// Request and response schemas: they validate shapes at the door and generate /openapi.
// Formats (times, durations, addresses) are checked by the domain, which reports every bad
// field at once; these schemas only check types.
import { z } from 'zod';

export const SlotIn = z.object({
  begin: z.string().meta({ description: 'RFC 3339 / ISO 8601; no offset means DEFAULT_TIMEZONE', example: '2031-03-11T14:00:00+01:00' }),
  duration: z.string().meta({ description: 'HH:MM, HH:MM:SS, D HH:MM:SS or ISO 8601 (PT1H30M)', example: '01:30' }),
});

export const SlotOut = z.object({
  begin: z.string().meta({ example: '2031-03-11T13:00:00Z' }),
  duration: z.string().meta({ example: '01:30:00' }),
});

const et = z.string().optional().meta({ description: 'Event token (alternative to ?et= and X-Event-Token)' });

// `parties` and `slots` are required, but checked by the domain (createEvent): after
// authentication (a caller without credentials gets 401, not 400, as in DRF) and in DRF's
// words ("This field is required."), which the seed's clients read.
export const CreateEventBody = z.object({
  title: z.string().nullish(),
  parties: z.array(z.string()).optional().meta({ description: 'Required. E-mail addresses; at least one' }),
  slots: z.array(SlotIn).optional().meta({ description: 'Required. Candidate slots, 0 to 30 (an empty list is fine)' }),
});

export const PatchEventBody = z.object({
  title: z.string().optional(),
  slots: z.array(SlotIn).optional(),
  parties: z.unknown().optional().meta({ description: 'Ignored: parties are fixed at creation' }),
  et,
});

export const NotifyBody = z.object({
  parties: z.array(z.string()),
  slots: z.array(SlotIn),
  sender: z.string().nullish(),
  et,
});

export const TokenAuthBody = z.object({ username: z.string(), password: z.string() });
export const TokenAuthReply = z.object({
  token: z.string().meta({ description: 'Send as Authorization: Token <key>' }),
  expires_at: z.string().meta({ description: 'When the key stops working (API_TOKEN_TTL after issue)' }),
});
export const TokenInfoReply = z.object({
  user: z.string().meta({ description: 'E-mail address of the key\'s user' }),
  expires_at: z.string(),
});
export const RevokedReply = z.object({ revoked: z.number().meta({ description: 'How many keys were revoked' }) });

/** An event id in a path; anything else names no event (404). */
export const ID_PATTERN = /^\d{1,15}$/;
export const IdParams = z.object({ id: z.string().regex(ID_PATTERN, 'must be a number') });
export const EtQuery = z.object({ et: z.string().optional() });

export const EventOut = z.object({
  id: z.number(),
  url: z.string(),
  log_url: z.string(),
  notify_url: z.string(),
  title: z.string(),
  parties: z.array(z.string()),
  slots: z.array(SlotOut),
  status: z.enum(['open', 'confirmed', 'cancelled']),
  owner: z.string(),
  answers: z.record(z.string(), z.array(SlotOut)),
  created: z.string(),
  updated: z.string(),
});

export const LogEntryOut = z.object({
  id: z.number(),
  when: z.string(),
  occurrence: z.string(),
  effector: z.string().nullable(),
  slots: z.array(SlotOut),
  data: z.record(z.string(), z.unknown()),
});

export const LogOut = z.object({ event: z.string(), parties: z.array(z.string()), entries: z.array(LogEntryOut) });

export const ErrorOut = z.object({ detail: z.string() }).catchall(z.unknown());
export const FieldErrorsOut = z.record(z.string(), z.array(z.string()));
