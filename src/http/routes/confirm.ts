// SPEC §11: POST /{id}/confirm/ — the organizer (or staff) books a slot of the list; the event
// is confirmed and every party gets the invite (domain: bookSlot).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bookSlot, readBooking } from '../../domain/events/book-slot.js';
import { presentEvent } from '../present.js';
import { ErrorOut, EtQuery, eventBodies, EventOut, FieldErrorsOut, IdParams, SlotOut, EVENT_SECURITY as security } from '../schemas.js';
import type { HttpContext } from '../context.js';

const NotListed = z.object({ detail: z.string(), slots: z.array(SlotOut) }).meta({ description: 'The event is not open, or the slot is not in its list (then `slots` is the current list)' });

export function confirmRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  const { deps, auth, publicUrl } = ctx;
  const bodies = eventBodies(deps.config.defaultTimeZone);
  return async (app) => {
    app.post('/:id/confirm/', {
      schema: { summary: 'Book a slot of the list: the event is confirmed and every party gets the invite (owner or staff)', tags: ['events'],
        params: IdParams, querystring: EtQuery, body: bodies.book, security,
        response: { 202: EventOut, 400: z.union([FieldErrorsOut, ErrorOut]), 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: z.union([NotListed, ErrorOut]) } },
    }, async (request, reply) => {
      const actor = await auth.required(request);
      const event = await bookSlot(deps, { actor, via: 'api' }, Number(request.params.id), readBooking(deps, request.body));
      return reply.code(202).send(presentEvent(publicUrl, event));
    });
  };
}
