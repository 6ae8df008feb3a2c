// What createEvent, patchEvent and notifyParties accept: one zod schema each. The operation
// parses its input with it (after authentication, so a caller without credentials gets 401,
// not 400), and the HTTP door shows the same schema in /openapi. Messages are DRF's words or
// the seed's, which its clients read (SPEC §3).
import { z } from 'zod';
import { EMAIL, MAX_EMAIL, normalizeEmail } from '../emails.js';
import { CONTROL_MESSAGE, NO_CONTROLS } from '../text.js';
import { MAX_SLOTS, parseBegin, parseSlotList } from '../slots.js';
import { notAnObject } from '../parse-input.js';

export const MAX_TITLE = 200;
export const MAX_PARTIES = 100;
export const MAX_SENDER = 100;

/** DRF's message for a missing required field. */
export const REQUIRED = 'This field is required.';

// A title is one line: tabs and line breaks are refused with the other controls.
const Title = z.string({ error: 'Must be a string.' })
  .trim()
  .regex(NO_CONTROLS, { error: CONTROL_MESSAGE, abort: true })
  .max(MAX_TITLE, { error: `At most ${MAX_TITLE} characters.` });

const notAnAddress = (issue: { input?: unknown }) => `${JSON.stringify(issue.input)} is not a valid e-mail address.`;
const Address = z.string({ error: notAnAddress })
  .max(MAX_EMAIL, { error: notAnAddress, abort: true })
  .regex(EMAIL, { error: notAnAddress })
  .overwrite(normalizeEmail)
  .meta({ format: 'email' });

const NO_PARTY = 'At least one party e-mail address is required.';
const Parties = z.array(Address, { error: (issue) => (issue.input === undefined ? REQUIRED : NO_PARTY) })
  .min(1, { error: NO_PARTY })
  .transform((list, ctx) => {
    const parties = [...new Set(list)];
    if (parties.length > MAX_PARTIES) ctx.addIssue({ code: 'custom', message: `At most ${MAX_PARTIES} parties.` });
    return parties;
  })
  .meta({ maxItems: MAX_PARTIES, description: `E-mail addresses, 1 to ${MAX_PARTIES}; duplicates collapse (the limit counts distinct ones)` });

// A slot as the API takes it. Its rules live in one place, parseSlotList (slots.ts), which
// reports every bad slot by position; this shape only documents it.
const { $schema: _, ...SLOT_DOC } = z.toJSONSchema(z.object({
  begin: z.string().meta({ description: 'RFC 3339 / ISO 8601; no offset means DEFAULT_TIMEZONE', example: '2031-03-11T14:00:00+01:00' }),
  duration: z.string().meta({ description: 'HH:MM, HH:MM:SS, D HH:MM:SS or ISO 8601 (PT1H30M); more than zero, at most 7 days', example: '01:30' }),
}), { io: 'input' });

function slotList(zone: string, missing: string) {
  const problems = (input: unknown) => {
    const r = parseSlotList(input, zone);
    return r.ok ? [] : r.errors;
  };
  return z.array(z.unknown().meta(SLOT_DOC), { error: (issue) => (issue.input === undefined ? missing : problems(issue.input)[0]) })
    .transform((list, ctx) => {
      const r = parseSlotList(list, zone);
      if (r.ok) return r.slots;
      for (const message of r.errors) ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    })
    .meta({ maxItems: MAX_SLOTS, description: `Slots, 0 to ${MAX_SLOTS}; duplicates (the same instant in any offset) collapse, the limit counts distinct ones` });
}

/** One slot (the booking's), by the same rules as a list's; its messages without "Slot 1: ". */
function oneSlot(zone: string) {
  const problems = (input: unknown) => {
    const r = parseSlotList([input], zone);
    return r.ok ? [] : r.errors.map((m) => m.replace(/^Slot 1: /, ''));
  };
  return z.unknown()
    .refine((input) => input !== undefined, { error: REQUIRED, abort: true })
    .transform((input, ctx) => {
      const r = parseSlotList([input], zone);
      if (r.ok) return r.slots[0]!;
      for (const message of problems(input)) ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    })
    .meta({ ...SLOT_DOC, description: 'One slot of the current list (the same instant in any offset)' });
}

// The deadline (SPEC §11): read like a slot's begin (§2), kept to the millisecond. "In the
// future" needs the clock, so the operation checks it (futureRespondBy) after this parse.
function respondBy(zone: string) {
  const notATime = (input: unknown) => `${JSON.stringify(input)} is not an ISO 8601 date-time.`;
  return z.string({ error: (issue) => notATime(issue.input) })
    .transform((text, ctx) => {
      const us = parseBegin(text, zone);
      if (us === null) {
        ctx.addIssue({ code: 'custom', message: notATime(text) });
        return z.NEVER;
      }
      return new Date(Number(us / 1000n));
    })
    .nullable()
    .meta({ description: 'Deadline for answers: RFC 3339 / ISO 8601 in the future (no offset means DEFAULT_TIMEZONE); null: none', example: '2031-03-10T18:00:00Z' });
}

const NO_RECIPIENT = 'At least one party is required.';
const Recipients = z.array(z.string({ error: 'Must be a list of e-mail addresses.' }), { error: NO_RECIPIENT })
  .min(1, { error: NO_RECIPIENT })
  .transform((list) => [...new Set(list.map(normalizeEmail))])
  .meta({ description: 'Parties of the event to mail' });

const SENDER = `Must be a string of at most ${MAX_SENDER} characters.`;
const Sender = z.string({ error: SENDER })
  .max(MAX_SENDER, { error: SENDER, abort: true })
  .regex(NO_CONTROLS, { error: CONTROL_MESSAGE })
  .trim()
  .nullish()
  .transform((sender) => sender || null)
  .meta({ description: 'What the caller calls themselves: logged only; the mail is From the caller\'s address' });

const object = <T extends z.core.$ZodLooseShape>(shape: T) => z.object(shape, { error: (issue) => notAnObject(issue.input) });

function buildInputs(zone: string) {
  return {
    create: object({
      title: Title.nullish().meta({ description: 'Blank or missing: a pronounceable word is made up' }),
      parties: Parties,
      // Required, as in the seed; an empty list is fine (slots may be added by PATCH).
      slots: slotList(zone, REQUIRED),
      respond_by: respondBy(zone).optional(),
    }),
    patch: object({
      title: Title.min(1, { error: 'May not be blank.' }).nullish(),
      slots: slotList(zone, REQUIRED).optional(),
      respond_by: respondBy(zone).optional().meta({ description: 'New deadline; null removes it' }),
    }).superRefine((patch, ctx) => {
      if (patch.title == null && patch.slots === undefined && patch.respond_by === undefined) {
        ctx.addIssue({ code: 'custom', path: [], message: 'Nothing to update: send "slots", "title" and/or "respond_by".' });
      }
    }),
    book: object({ slot: oneSlot(zone) }),
    notify: object({
      parties: Recipients,
      slots: slotList(zone, 'Required: the slot list being announced.'),
      sender: Sender,
    }),
  };
}

export type EventInputs = ReturnType<typeof buildInputs>;
const byZone = new Map<string, EventInputs>();

/** The schemas for DEFAULT_TIMEZONE `zone` (slot times without an offset are read in it). */
export function eventInputs(zone: string): EventInputs {
  let inputs = byZone.get(zone);
  if (!inputs) byZone.set(zone, (inputs = buildInputs(zone)));
  return inputs;
}
