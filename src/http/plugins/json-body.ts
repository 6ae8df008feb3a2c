// SPEC §3: a request with `Content-Type: application/json` and an empty body means `{}` on
// every method, as in DRF (many clients send that header on DELETE and GET). Anything else
// goes to Fastify's own JSON parser, prototype-poisoning checks included.
import type { FastifyInstance, FastifyRequest } from 'fastify';

type Done = (err: Error | null, body?: unknown) => void;
type CallbackParser = (request: FastifyRequest, body: string, done: Done) => void;

export function acceptEmptyJson(app: FastifyInstance): void {
  // Fastify's defaults for both settings; the default parser takes the callback form.
  const parse = app.getDefaultJsonParser('error', 'error') as CallbackParser;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0) done(null, {});
    else parse(request, body as string, done);
  });
}
