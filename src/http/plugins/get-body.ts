// httpie sends `et` as a JSON body even with GET (SPEC §3). Fastify does not parse bodies on
// GET, so this hook reads a small JSON body there itself.
import type { FastifyRequest } from 'fastify';

export function getBodyHook(limit: number) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.method !== 'GET' || request.body !== undefined) return;
    const length = Number(request.headers['content-length'] ?? 0);
    if (!length && !request.headers['transfer-encoding']) return;
    if (length > limit) throw Object.assign(new Error('Request body too large.'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request.raw) {
      size += (chunk as Buffer).length;
      if (size > limit) throw Object.assign(new Error('Request body too large.'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8').trim();
    if (!text || !/json/i.test(request.headers['content-type'] ?? 'application/json')) return;
    try {
      request.body = JSON.parse(text);
    } catch {
      // Same answer as Fastify's own parser gives other methods: 400 {"detail": "..."}.
      throw Object.assign(new Error('JSON parse error in request body.'), { statusCode: 400 });
    }
  };
}
