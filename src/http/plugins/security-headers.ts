// Every answer may carry tokenised URLs (event JSON, the log, the page): never stored by a
// cache or the browser's history (no-store), and never content-sniffed into something else.
// A route with its own caching rule (the page's static files) sets Cache-Control itself later.
import type { FastifyInstance } from 'fastify';

export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('Cache-Control', 'no-store').header('X-Content-Type-Options', 'nosniff');
    done();
  });
}
