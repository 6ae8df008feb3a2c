// Value types of settings that are more than a number or a word: durations with units and
// Fastify's trustProxy forms. Pure; used by the config schema in ./index.ts.
import { isIP } from 'node:net';
import { z } from 'zod';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "90", "90s", "15m", "12h", "30d" → whole seconds; a bare number means seconds. */
export function durationSeconds(min: number, max: number) {
  return z.string().trim()
    .regex(/^\d+\s*[smhd]?$/i, 'must be a duration such as 90s, 15m, 12h or 30d')
    .transform((v) => {
      const m = /^(\d+)\s*([smhd]?)$/i.exec(v)!;
      return Number(m[1]) * UNIT_SECONDS[(m[2] || 's').toLowerCase()]!;
    })
    .pipe(z.number().min(min, `must be at least ${min} s`).max(max, `must be at most ${max} s`));
}

// Names proxy-addr (Fastify's trustProxy) understands besides addresses and subnets.
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrSubnet(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Fastify's `trustProxy`: "true"/"false", or a comma-separated list of addresses, CIDR
 * subnets and proxy-addr names (loopback, linklocal, uniquelocal). A hop count is refused:
 * Fastify 5 ignores it (it cannot check the nearest peer, so it would let clients spoof
 * X-Forwarded-For), and a setting that silently does nothing is worse than an error.
 */
export const trustProxy = z.string().trim().transform((v, ctx): boolean | string[] => {
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: 'a hop count is not supported by Fastify 5; list the proxy addresses or subnets instead' });
    return z.NEVER;
  }
  const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => !isAddressOrSubnet(e));
  if (!entries.length || bad.length) {
    ctx.addIssue({ code: 'custom', message: `must be true, false or addresses/CIDR subnets separated by commas${bad.length ? ` (not: ${bad.join(', ')})` : ''}` });
    return z.NEVER;
  }
  return entries;
});
