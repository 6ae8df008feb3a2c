// Taking a named row (the IMAP lease, a scheduled job's claim) safely across instances: a
// conditional update where the row exists and may be taken, else an insert; of two instances
// inserting at once, the primary key lets exactly one win.

/** Prisma's unique-constraint error code (the same through both driver adapters). */
const UNIQUE_VIOLATION = 'P2002';

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === UNIQUE_VIOLATION;
}

/** True when `update` changed the row or `insert` created it; false when someone else holds it. */
export async function takeRow(update: () => Promise<{ count: number }>, insert: () => Promise<unknown>): Promise<boolean> {
  if ((await update()).count === 1) return true;
  try {
    await insert();
    return true;
  } catch (err) {
    // The row exists and may not be taken (or another instance created it a moment ago).
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}
