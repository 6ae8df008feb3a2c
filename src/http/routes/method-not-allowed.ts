// SPEC §3: a known route asked with a method it does not serve → 405 with `Allow` and DRF's
// body, not 404. The router answers which methods the path has; a path whose `:id` is not a
// number names no route (GET answers it 404 too), so it stays 404.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ID_PATTERN } from '../schemas.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function served(app: FastifyInstance, method: string, path: string): boolean {
  const route = app.findRoute({ method: method as (typeof METHODS)[number], url: path });
  if (!route) return false;
  const id = (route.params as Record<string, string | undefined>).id;
  return id === undefined || ID_PATTERN.test(id);
}

export function methodNotAllowed(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): boolean {
  const path = request.url.split('?', 1)[0] ?? '';
  const allowed = METHODS.filter((m) => m !== request.method && served(app, m, path));
  if (!allowed.length) return false;
  void reply.code(405).header('Allow', allowed.join(', ')).send({ detail: `Method "${request.method}" not allowed.` });
  return true;
}
