// SPEC §13: `Link: <absolute url>; rel="next"` while a paginated list has a next page.
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sets the Link header to the next page: `base` (the list's absolute URL, from PUBLIC_URL)
 * with this request's query (limit, et, …) and `cursor` replaced. Nothing on the last page.
 */
export function linkNext(request: FastifyRequest, reply: FastifyReply, base: string, next: string | null): void {
  if (next === null) return;
  const query = new URL(request.url, 'http://request.invalid').searchParams;
  query.set('cursor', next);
  void reply.header('Link', `<${base}?${query}>; rel="next"`);
}
