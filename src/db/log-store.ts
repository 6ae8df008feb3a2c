import type { Db } from './client.js';
import type { Serial } from './serial.js';
import { logRow, toLogEntry } from './rows.js';
import type { SqliteFastPath } from './sqlite-fast-path.js';
import type { LogStore } from '../domain/ports.js';

export function createLogStore(db: Db, serial: Serial, now: () => Date, fast?: SqliteFastPath): LogStore {
  return {
    append: (eventId, entry) => serial(async () => {
      if (fast) fast.insertLog(logRow(eventId, entry, now()));
      else await db.logEntry.create({ data: logRow(eventId, entry, now()) });
    }),
    list: (eventId) => serial(async () =>
      (await db.logEntry.findMany({ where: { eventId }, orderBy: { id: 'asc' } })).map(toLogEntry)),
  };
}
