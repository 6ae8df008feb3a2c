// The loop of a background worker (the outbox, scheduled jobs): a pass at start and again a
// while after each run ends, never two passes at once; run() asks for one now.

export interface Repeating<T> {
  /** A pass now; while one runs, joins it and it passes once more. Resolves with the run's passes combined. */
  run(): Promise<T>;
  readonly stopped: boolean;
  /** No more passes; resolves when the running one has ended. */
  stop(): Promise<void>;
}

export interface RepeatOptions<T> {
  pass(): Promise<T>;
  /** Combines the results of the passes of one run. */
  combine(a: T, b: T): T;
  /** What a pass that threw counts as (after reporting the error). */
  failed(err: unknown): T;
  /** How long to wait after a run before the next pass (ms). */
  waitMs(): number;
}

export function repeat<T>(o: RepeatOptions<T>): Repeating<T> {
  let stopped = false;
  let running: Promise<T> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  const once = () => o.pass().catch(o.failed);

  function run(): Promise<T> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      again = false;
      let total: T = await once();
      while (again && !stopped) {
        again = false;
        total = o.combine(total, await once());
      }
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  const tick = () => {
    if (stopped) return;
    void run().finally(() => {
      if (!stopped) timer = setTimeout(tick, o.waitMs());
    });
  };
  timer = setTimeout(tick, 0);

  return {
    run,
    get stopped() {
      return stopped;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
