// SPEC §3: list, create, detail (JSON or, for browsers, the page), patch, cancel.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createEvent } from '../../domain/events/create-event.js';
import { listEvents } from '../../domain/events/list-events.js';
import { viewEvent } from '../../domain/events/view-event.js';
import { patchEvent } from '../../domain/events/patch-event.js';
import { cancelEvent } from '../../domain/events/cancel-event.js';
import { presentEvent } from '../present.js';
import { prefersHtml } from '../plugins/accept.js';
import { linkNext } from '../next-link.js';
import { ErrorOut, EtQuery, EventListOut, EventOut, eventBodies, FieldErrorsOut, IdParams, PagedQuery, EVENT_SECURITY as security } from '../schemas.js';
import type { HttpContext } from '../context.js';

const errors = { 400: z.union([FieldErrorsOut, ErrorOut]), 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut };

export function eventRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  const { deps, auth, publicUrl } = ctx;
  const bodies = eventBodies(deps.config.defaultTimeZone);
  return async (app) => {
    app.get('/', {
      schema: { summary: 'Events where you are a party or the owner (staff: all), by id, a page at a time', tags: ['events'],
        querystring: PagedQuery, response: { 200: EventListOut, 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut }, security: security.slice(0, 2) },
    }, async (request, reply) => {
      const { items, next } = await listEvents(deps, { actor: await auth.required(request), via: 'api' }, request.query);
      linkNext(request, reply, `${publicUrl}/`, next);
      return items.map((e) => presentEvent(publicUrl, e));
    });

    app.post('/', {
      schema: { summary: 'Create an event', tags: ['events'], body: bodies.create,
        response: { 201: EventOut, ...errors }, security: security.slice(0, 2) },
    }, async (request, reply) => {
      const event = await createEvent(deps, { actor: await auth.required(request), via: 'api' }, request.body);
      return reply.code(201).send(presentEvent(publicUrl, event));
    });

    app.get('/:id/', {
      schema: { summary: 'Event detail (logs VIEW); browsers get the web page', tags: ['events'], params: IdParams,
        querystring: EtQuery, response: { 200: EventOut, ...errors }, security },
    }, async (request, reply) => {
      const id = Number(request.params.id);
      // One URL, two representations (SPEC §3): caches must key on Accept.
      void reply.header('Vary', 'Accept');
      if (ctx.page && prefersHtml(request.headers.accept)) {
        await ctx.page(request, reply, id);
        return reply;
      }
      const event = await viewEvent(deps, { actor: await auth.required(request), via: 'api' }, id);
      return presentEvent(publicUrl, event);
    });

    app.patch('/:id/', {
      schema: { summary: 'Replace title and/or slots (parties are ignored)', tags: ['events'], params: IdParams,
        querystring: EtQuery, body: bodies.patch, response: { 202: EventOut, ...errors }, security },
    }, async (request, reply) => {
      const event = await patchEvent(deps, { actor: await auth.required(request), via: 'api' }, Number(request.params.id), request.body);
      return reply.code(202).send(presentEvent(publicUrl, event));
    });

    app.delete('/:id/', {
      schema: { summary: 'Cancel the event (owner or staff)', tags: ['events'], params: IdParams,
        response: { 204: z.null(), ...errors }, security: security.slice(0, 2) },
    }, async (request, reply) => {
      await cancelEvent(deps, { actor: await auth.required(request), via: 'api' }, Number(request.params.id));
      return reply.code(204).send(null);
    });
  };
}
