// SPEC §3: notify parties, read the dispatch log.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notifyParties } from '../../domain/events/notify-parties.js';
import { getLog } from '../../domain/events/get-log.js';
import { eventUrl, presentLog } from '../present.js';
import { linkNext } from '../next-link.js';
import { ErrorOut, EtQuery, eventBodies, FieldErrorsOut, IdParams, LogPageOut, PagedQuery, EVENT_SECURITY as security } from '../schemas.js';
import type { HttpContext } from '../context.js';

export function notifyLogRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  const { deps, auth, publicUrl } = ctx;
  const bodies = eventBodies(deps.config.defaultTimeZone);
  return async (app) => {
    app.post('/:id/notify/', {
      schema: { summary: 'Mail the current slots to parties, each with a fresh token', tags: ['events'], params: IdParams,
        querystring: EtQuery, body: bodies.notify, security,
        response: { 202: z.object({ detail: z.string(), recipients: z.array(z.string()) }), 400: z.union([FieldErrorsOut, ErrorOut]),
          401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut } },
    }, async (request, reply) => {
      const actor = await auth.required(request);
      const { recipients } = await notifyParties(deps, { actor, via: 'api' }, Number(request.params.id), request.body);
      return reply.code(202).send({ detail: 'Notifications queued.', recipients });
    });

    app.get('/:id/log/', {
      schema: { summary: 'The dispatch log, oldest first, a page at a time', tags: ['events'], params: IdParams, querystring: PagedQuery, security,
        response: { 200: LogPageOut, 400: z.union([FieldErrorsOut, ErrorOut]), 401: ErrorOut, 403: ErrorOut, 404: ErrorOut } },
    }, async (request, reply) => {
      const { event, entries, next } = await getLog(deps, { actor: await auth.required(request), via: 'api' }, Number(request.params.id), request.query);
      linkNext(request, reply, `${eventUrl(publicUrl, event.id)}log/`, next);
      return presentLog(publicUrl, event, entries);
    });
  };
}
