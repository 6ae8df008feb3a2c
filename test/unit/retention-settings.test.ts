// How the retention job reads its settings (src/scheduler/retention.ts).
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { retentionSettings } from '../../src/scheduler/retention.js';

describe('retention settings', () => {
  it('outbox rows are swept past the event tokens\' lifetime when it exceeds OUTBOX_RETENTION (rows whose token lives are kept, so never re-read)', () => {
    expect(retentionSettings(parseConfig({ OUTBOX_RETENTION: '1d', EVENT_TOKEN_TTL_DAYS: '14' })).outboxMs).toBe(14 * 86_400_000);
    expect(retentionSettings(parseConfig({ OUTBOX_RETENTION: '30d', EVENT_TOKEN_TTL_DAYS: '14' })).outboxMs).toBe(30 * 86_400_000);
  });
});
