// Canonical paths end in `/` (SPEC §3): GET/HEAD without it → 301, other methods → 308
// (which keeps method and body). Anything else unknown → 404.
import type { FastifyReply, FastifyRequest } from 'fastify';

const CANONICAL = [/^\/\d+$/, /^\/\d+\/log$/, /^\/\d+\/notify$/, /^\/\d+\/confirm$/, /^\/api-token-auth$/];

export function redirectToSlash(request: FastifyRequest, reply: FastifyReply): boolean {
  const [path = '', query] = request.url.split('?', 2);
  if (!CANONICAL.some((re) => re.test(path))) return false;
  const target = `${path}/${query === undefined ? '' : `?${query}`}`;
  const code = request.method === 'GET' || request.method === 'HEAD' ? 301 : 308;
  void reply.code(code).header('Location', target).send({ detail: `Moved to ${target}` });
  return true;
}
