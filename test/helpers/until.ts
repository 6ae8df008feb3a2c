// Polls `probe` until it gives a truthy value (returned), or throws after `ms`.
import { sleep } from './free-ports.js';

export async function until<T>(probe: () => Promise<T | false | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(50);
  }
}
