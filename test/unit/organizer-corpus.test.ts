// SPEC §10: every organizer mail in test/fixtures/organizer goes through the real pipeline
// (mailparser → readMail → readDraft) and must give what a human reader takes from it (the
// sibling .json; conventions in that folder's README).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDraft } from '../../src/mail/inbound/draft-mail.js';
import { readMail } from '../../src/mail/inbound/read-mail.js';
import { formatBegin, formatDuration } from '../../src/domain/slots.js';

interface Expectation {
  title: string | null;
  parties: string[];
  slots: { begin: string; duration: string }[];
  unreadable?: string[];
  respondBy?: string | null;
}

const DIR = fileURLToPath(new URL('../fixtures/organizer/', import.meta.url));
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.eml') && existsSync(join(DIR, f.replace(/\.eml$/, '.json')))).sort() : [];
const CFG = {
  mailDomain: 'calndro.test', botAddresses: ['calndro@calndro.test'], defaultSlotMinutes: 60,
  senderZone: null, now: new Date('2026-01-01T00:00:00Z'),
};

describe('organizer corpus', () => {
  it('has fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s', async (file) => {
    const want = JSON.parse(readFileSync(join(DIR, file.replace(/\.eml$/, '.json')), 'utf8')) as Expectation;
    const facts = await readMail(readFileSync(join(DIR, file)), null);
    expect(facts).not.toBeNull();
    const draft = readDraft(facts!, CFG);
    const context = `new text was:\n${draft.text}\n--- zone ${draft.zone}; unreadable ${JSON.stringify(draft.times.unreadable)}; refused ${JSON.stringify(draft.times.refused)}`;
    expect(draft.title, context).toBe(want.title);
    expect([...draft.parties].sort(), context).toEqual([...want.parties].sort());
    const slots = draft.times.slots.map((s) => ({ begin: formatBegin(s.beginUs), duration: formatDuration(s.durationUs) }));
    expect(slots, context).toEqual(want.slots);
    // Each unreadable line holds exactly one of the expected substrings, and each is reported.
    const unreadable = want.unreadable ?? [];
    expect(draft.times.unreadable.length, context).toBe(unreadable.length);
    for (const part of unreadable) expect(draft.times.unreadable.some((line) => line.includes(part)), `${part}\n${context}`).toBe(true);
    expect(draft.times.respondBy?.toISOString().replace('.000Z', 'Z') ?? null, context).toBe(want.respondBy ?? null);
    expect(draft.times.refused, context).toEqual([]);
  });
});
