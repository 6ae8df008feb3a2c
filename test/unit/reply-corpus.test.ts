// Every hand-written client reply in test/fixtures/replies goes through the real pipeline:
// mailparser → extractReply → parseSelection, and must give the selection in expected.json.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { extractReply } from '../../src/mail/inbound/extract-reply.js';
import { parseSelection } from '../../src/domain/selection.js';

interface Expectation {
  selection: { kind: string; numbers?: number[] };
  replyIncludes?: string;
  replyExcludes?: string[];
}

const DIR = fileURLToPath(new URL('../fixtures/replies/', import.meta.url));
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expectation>;
const files = readdirSync(DIR).filter((f) => f.endsWith('.eml')).sort();

describe('reply corpus', () => {
  it('has at least 30 fixtures, each with an expectation and vice versa', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  it.each(files)('%s', async (file) => {
    const want = expected[file]!;
    const parsed = await simpleParser(readFileSync(join(DIR, file)));
    const { reply, elided } = extractReply({ text: parsed.text, html: parsed.html || null });
    const selection = parseSelection(reply);
    const context = `reply was:\n${reply}\n---`;
    if (want.selection.kind === 'unparseable') {
      expect(selection.kind, context).toBe('unparseable');
    } else {
      expect(selection, context).toEqual(want.selection);
    }
    if (want.replyIncludes) expect(reply).toContain(want.replyIncludes);
    for (const gone of want.replyExcludes ?? []) expect(reply, context).not.toContain(gone);
    // The quoted notification is kept as elided text, not thrown away.
    expect(elided).toMatch(/2031-03-1\d|1\d Mar 2031/);
  });
});
