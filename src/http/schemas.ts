// Request and response schemas for /openapi. The bodies of the domain's operations are the
// domain's own schemas (src/domain/events/inputs.ts), and so are the page queries
// (src/domain/paging.ts): the operation parses them itself, after authentication (a caller
// without credentials gets 401, not 400, as in DRF) and in DRF's words ("This field is
// required."), which the seed's clients read. So the door shows them and passes them on as they
// came (see domainJudged); every other part is checked here.
import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eventInputs } from '../domain/events/inputs.js';
import { PageQuery } from '../domain/paging.js';

const judgedByDomain = new WeakSet<z.ZodType>();

/** A body or query the domain operation parses itself: documented from `schema`, typed unknown here. */
function domainJudged(schema: z.ZodType): z.ZodType<unknown> {
  judgedByDomain.add(schema);
  return schema;
}

/** fastify-type-provider-zod's validator, except for bodies the domain judges (left as sent). */
export const requestValidator: FastifySchemaCompiler<z.ZodType> = (route) =>
  (route.httpPart === 'body' || route.httpPart === 'querystring') && judgedByDomain.has(route.schema)
    ? (data) => ({ value: data }) : validatorCompiler(route);

const et = z.string().optional().meta({ description: 'Event token (alternative to ?et= and X-Event-Token)' });

/** Bodies of create, patch, notify and confirm (book), for DEFAULT_TIMEZONE `zone`. */
export function eventBodies(zone: string) {
  const inputs = eventInputs(zone);
  return {
    create: domainJudged(inputs.create),
    patch: domainJudged(z.object({
      ...inputs.patch.shape,
      parties: z.unknown().optional().meta({ description: 'Ignored: parties are fixed at creation' }),
      et,
    }).meta({ description: 'At least one of title and slots' })),
    notify: domainJudged(z.object({ ...inputs.notify.shape, et })),
    book: domainJudged(z.object({ ...inputs.book.shape, et })),
  };
}

export const SlotOut = z.object({
  begin: z.string().meta({ example: '2031-03-11T13:00:00Z' }),
  duration: z.string().meta({ example: '01:30:00' }),
});

export const TokenAuthBody = z.object({ username: z.string(), password: z.string() });
export const TokenAuthReply = z.object({
  token: z.string().meta({ description: 'Send as Authorization: Token <key>' }),
  expires_at: z.string().meta({ description: 'When the key stops working (API_TOKEN_TTL after issue)' }),
});
export const TokenInfoReply = z.object({
  user: z.string().meta({ description: 'E-mail address of the key\'s user' }),
  expires_at: z.string(),
});
export const RevokedReply = z.object({ revoked: z.number().meta({ description: 'How many keys were revoked' }) });

/** OpenAPI security of an event's routes: a user (Basic, API key) or the event's own token. */
export const EVENT_SECURITY: Record<string, string[]>[] = [{ basicAuth: [] }, { tokenAuth: [] }, { eventToken: [] }];

/** An event id in a path; anything else names no event (404). */
export const ID_PATTERN = /^\d{1,15}$/;
export const IdParams = z.object({ id: z.string().regex(ID_PATTERN, 'must be a number') });
export const EtQuery = z.object({ et: z.string().optional() });
/** A paginated list's query (SPEC §13): limit and cursor, judged by the operation; et as everywhere. */
export const PagedQuery = domainJudged(z.object({ ...PageQuery.shape, ...EtQuery.shape }));

/** Documents the Link header of a paginated answer (@fastify/swagger reads `headers` of a response schema). */
const withNextLink = <T extends z.ZodType>(schema: T) => schema.meta({
  headers: { Link: { type: 'string', description: '`<absolute URL>; rel="next"`: the next page (the same query with its cursor); absent on the last page' } },
});

export const EventOut = z.object({
  id: z.number(),
  url: z.string(),
  log_url: z.string(),
  notify_url: z.string(),
  title: z.string(),
  parties: z.array(z.string()),
  slots: z.array(SlotOut),
  status: z.enum(['open', 'confirmed', 'cancelled']),
  respond_by: z.string().nullable().meta({ description: 'Deadline for answers (UTC, as `begin`); null: none', example: '2031-03-10T18:00:00Z' }),
  owner: z.string(),
  answers: z.record(z.string(), z.array(SlotOut)),
  created: z.string(),
  updated: z.string(),
});

export const LogEntryOut = z.object({
  id: z.number(),
  when: z.string(),
  occurrence: z.string(),
  effector: z.string().nullable(),
  slots: z.array(SlotOut),
  data: z.record(z.string(), z.unknown()),
});

export const EventListOut = withNextLink(z.array(EventOut));
export const LogOut = z.object({ event: z.string(), parties: z.array(z.string()), entries: z.array(LogEntryOut) });
export const LogPageOut = withNextLink(LogOut);

export const ErrorOut = z.object({ detail: z.string() }).catchall(z.unknown());
export const FieldErrorsOut = z.record(z.string(), z.array(z.string()));
