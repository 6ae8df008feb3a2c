// Forms chrono-node 2.10 misreads, rewritten into forms it reads, before it runs:
//  - "18 Uhr" after a date ("13. März 18 Uhr") is taken for the year 2018 → "18:00 Uhr";
//  - "13.03." (day and month without a year) is taken for the clock 13:03 → "13.03.<year>",
//    the year of its next occurrence from the reference, as chrono does for "13. März".
import { wallFromMs } from './zones.js';

const HOUR_UHR = /(?<![\d:.])(\d{1,2})\s*Uhr\b/giu;
const DAY_MONTH_DOT = /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(?![\d])/gu;

export function rewriteForChrono(text: string, reference: Date, referenceOffset: number): string {
  const today = wallFromMs(reference.getTime() + referenceOffset * 60_000);
  return text
    .replace(HOUR_UHR, (_, h: string) => `${h}:00 Uhr`)
    .replace(DAY_MONTH_DOT, (whole, d: string, m: string) => {
      const day = Number(d), month = Number(m);
      if (month < 1 || month > 12 || day < 1 || day > 31) return whole;
      const passed = month < today.month || (month === today.month && day < today.day);
      return `${d}.${m}.${today.year + (passed ? 1 : 0)}`;
    });
}
