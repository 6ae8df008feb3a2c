// One SQLite connection serves the whole process, and the Prisma adapter does not keep plain
// queries out of an open transaction: a write issued meanwhile would join (and roll back
// with) someone else's transaction. So on SQLite every store call runs in turn. PostgreSQL
// has a pool with real isolation and needs no queue.
export type Serial = <T>(fn: () => Promise<T>) => Promise<T>;

/** `afterEach`: called as each call settles (SQLite: every write passed through here; see wal-checkpoint.ts). */
export function createSerial(enabled: boolean, afterEach: () => void = () => {}): Serial {
  if (!enabled) return (fn) => fn();
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn).finally(afterEach);
    tail = run.catch(() => undefined);
    return run;
  };
}
