import type { Db } from './client.js';
import type { Serial } from './serial.js';
import { logRow, toLogEntries } from './rows.js';
import type { SqliteFastPath } from './sqlite-fast-path.js';
import type { LogStore } from '../domain/ports.js';

// Pages read LogEntry(eventId, id) forwards or backwards from the cursor, stopped by the limit.
export function createLogStore(db: Db, serial: Serial, now: () => Date, fast?: SqliteFastPath): LogStore {
  return {
    append: (eventId, entry) => serial(async () => {
      if (fast) fast.insertLog(logRow(eventId, entry, now()));
      else await db.logEntry.create({ data: logRow(eventId, entry, now()) });
    }),
    list: async (eventId, page) => {
      const rows = fast ? fast.logPage(eventId, page) : await serial(() => db.logEntry.findMany({
        where: { eventId, id: { gt: page.after ?? 0 } }, orderBy: { id: 'asc' }, take: page.limit,
      }));
      return toLogEntries(rows);
    },
    latest: async (eventId, page) => {
      const rows = fast ? fast.logLatest(eventId, page) : await serial(() => db.logEntry.findMany({
        where: { eventId, ...(page.before !== undefined && { id: { lt: page.before } }) }, orderBy: { id: 'desc' }, take: page.limit,
      }));
      return toLogEntries(rows);
    },
  };
}
