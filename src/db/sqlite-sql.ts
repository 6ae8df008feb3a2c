// The SQLite fast path's SQL, tied to prisma/schema.prisma (the one data model) by the compiler:
// tables and columns are keys of the generated model types, rows to insert are Prisma's own
// CreateManyInput types, and rows read back are typed from the models (DateTime as text,
// Boolean as 0/1, Bytes as Buffer). What the compiler cannot see, a WHERE clause's text, is
// checked by SQLite when the statement is prepared, which happens when the fast path opens.
import type BetterSqlite3 from 'better-sqlite3';
import type { ApiToken, Event, EventParty, EventToken, InboundMessage, LogEntry, OutboxMessage, Prisma, User } from './generated/sqlite/client.js';
import { fromSqliteTime, toSqliteTime } from './sqlite-time.js';

interface Models { User: User; ApiToken: ApiToken; Event: Event; EventParty: EventParty; EventToken: EventToken; LogEntry: LogEntry; OutboxMessage: OutboxMessage; InboundMessage: InboundMessage }
interface NewRows {
  User: Prisma.UserCreateManyInput; Event: Prisma.EventCreateManyInput; EventParty: Prisma.EventPartyCreateManyInput;
  EventToken: Prisma.EventTokenCreateManyInput; LogEntry: Prisma.LogEntryCreateManyInput; OutboxMessage: Prisma.OutboxMessageCreateManyInput;
  InboundMessage: Prisma.InboundMessageCreateManyInput;
}
export type Table = keyof Models;
export type Column<T extends Table> = keyof Models[T] & string;
export type NewRow<T extends keyof NewRows> = NewRows[T];

/** A column as better-sqlite3 returns it. */
type Stored<V> = V extends Date ? string : V extends boolean ? number : V extends Uint8Array ? Buffer : V;
/** A row as read, with the columns `C` of table `T`. */
export type StoredRow<T extends Table, C extends Column<T> = Column<T>> = { [K in C]: Stored<Models[T][K]> };

type DateColumn<T extends Table> = { [K in Column<T>]: Models[T][K] extends Date | null ? K : never }[Column<T>];
type BooleanColumn<T extends Table> = { [K in Column<T>]: Models[T][K] extends boolean ? K : never }[Column<T>];
/** Whether `Given` names every column of kind `All`. */
type Complete<All extends string, Given extends readonly string[]> = [Exclude<All, Given[number]>] extends [never] ? true : false;
type Assert<T extends true> = T;

/** The columns SQLite holds in another form than the model's type, per table read by the fast path. */
const DATES = {
  User: ['createdAt'],
  ApiToken: ['expiresAt', 'createdAt'],
  Event: ['invitedAt', 'respondBy', 'followUpAt', 'createdAt', 'updatedAt'],
  EventToken: ['expiresAt', 'createdAt'],
  OutboxMessage: ['nextAttemptAt', 'lockedUntil', 'sentAt', 'createdAt'],
  InboundMessage: ['createdAt', 'processedAt', 'reducedAt'],
} as const satisfies { [T in Exclude<Table, 'EventParty' | 'LogEntry'>]: readonly DateColumn<T>[] };
const BOOLEANS = { User: ['isStaff', 'isActive'] } as const satisfies { User: readonly BooleanColumn<'User'>[] };
// Fails to compile when the schema gains a DateTime or Boolean column the lists above lack.
export type SchemaChecks = [
  Assert<Complete<DateColumn<'User'>, typeof DATES.User>>, Assert<Complete<DateColumn<'ApiToken'>, typeof DATES.ApiToken>>,
  Assert<Complete<DateColumn<'Event'>, typeof DATES.Event>>, Assert<Complete<DateColumn<'EventToken'>, typeof DATES.EventToken>>,
  Assert<Complete<DateColumn<'OutboxMessage'>, typeof DATES.OutboxMessage>>,
  Assert<Complete<DateColumn<'InboundMessage'>, typeof DATES.InboundMessage>>,
  Assert<Complete<BooleanColumn<'User'>, typeof BOOLEANS.User>>,
];

type Decoded = keyof typeof DATES;
/** A row read with all or some of its columns, back in the model's types (dates, booleans). */
export function decodeRow<T extends Decoded, C extends Column<T>>(table: T, row: StoredRow<T, C>): Pick<Models[T], C> {
  const out: Record<string, unknown> = { ...row };
  for (const col of DATES[table] as readonly string[]) {
    if (typeof out[col] === 'string') out[col] = fromSqliteTime(out[col] as string);
  }
  if (table === 'User') for (const col of BOOLEANS.User) if (col in out) out[col] = out[col] === 1;
  return out as Pick<Models[T], C>;
}

/** A value as SQLite takes it. */
export function encodeValue(v: unknown): unknown {
  if (v instanceof Date) return toSqliteTime(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v === undefined ? null : v;
}

/** `"a", "b"` (or `x."a", x."b"`): a column list of `table`. */
export function columns<T extends Table>(_table: T, names: readonly Column<T>[], alias?: string): string {
  return names.map((c) => (alias ? `${alias}."${c}"` : `"${c}"`)).join(', ');
}

export interface Sql {
  db: BetterSqlite3.Database;
  /** A statement prepared once per distinct text (IN lists, optional columns). */
  cached(sql: string): BetterSqlite3.Statement;
  /** Inserts a row of Prisma's own create type (columns left out take the schema's defaults); returns its id. */
  insert<T extends keyof NewRows>(table: T, row: NewRow<T>): number;
}

export function sqlOn(db: BetterSqlite3.Database): Sql {
  const shapes = new Map<string, BetterSqlite3.Statement>();
  const cached = (sql: string) => {
    let st = shapes.get(sql);
    if (!st) {
      if (shapes.size > 500) shapes.clear();
      st = db.prepare(sql);
      shapes.set(sql, st);
    }
    return st;
  };
  return {
    db,
    cached,
    insert(table, row) {
      const names = Object.keys(row).filter((k) => (row as Record<string, unknown>)[k] !== undefined);
      const sql = `INSERT INTO "${table}" (${names.map((c) => `"${c}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
      return Number(cached(sql).run(...names.map((k) => encodeValue((row as Record<string, unknown>)[k]))).lastInsertRowid);
    },
  };
}
