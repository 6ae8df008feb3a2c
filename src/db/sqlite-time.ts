// SQLite has no date type. Prisma's better-sqlite3 adapter is told to store DateTime as ISO 8601
// text by its public `timestampFormat` option (client.ts); the fast path writes and compares the
// same text, so a row either path wrote sorts and matches alike. That the two agree to the
// character is checked by test/integration/db/data-contract.test.ts, not assumed: a release of
// the adapter that wrote another form fails that test.
export const SQLITE_TIMESTAMP_FORMAT = 'iso8601' as const;

export const toSqliteTime = (d: Date): string => d.toISOString().replace('Z', '+00:00');

export const fromSqliteTime = (s: string): Date => new Date(s);
