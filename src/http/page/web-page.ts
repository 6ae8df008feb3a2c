// SPEC §6: the page behind the token link. GET /{id}/ (browsers only, see plugins/accept.ts)
// renders it; POST /{id}/book/ is the organizer's "Book this time" (SPEC §11, bookSlot);
// POST /{id}/answer/ is its plain form submit, the same operation as an e-mail
// reply (answerEvent: PATCH + notify the others, answer recorded for SPEC §7), then 303 back
// to the page (PRG). Works without JavaScript; static/page.js only localises times.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import { DomainError } from '../../domain/errors.js';
import { viewEvent } from '../../domain/events/view-event.js';
import { getRecentLog } from '../../domain/events/get-log.js';
import { loadEvent } from '../../domain/events/load-event.js';
import { answerEvent } from '../../domain/events/answer-event.js';
import { bookSlot } from '../../domain/events/book-slot.js';
import { parseSlotKey, slotKey, type Slot } from '../../domain/slots.js';
import type { Actor, ActionContext } from '../../domain/actor.js';
import type { Deps, EventRecord } from '../../domain/ports.js';
import { eventTokenOf, type Authenticator } from '../plugins/auth.js';
import type { PageHandler } from '../context.js';
import { WWW_AUTHENTICATE } from '../error-handler.js';
import { replyStatusFor, STATUS_OF_CODE } from '../error-status.js';
import { createFormTokens } from './csrf.js';
import { listVersion, pageView, type Notice } from './view-model.js';
import { loadStaticAssets, renderError, renderPage, type ErrorView } from './render.js';
import { failureView, NOT_FOUND } from './failure-view.js';

export interface WebPageOptions {
  deps: Deps;
  auth: Authenticator;
  publicUrl: string;
  /** SECRET_KEY: the CSRF form tokens are keyed with it. */
  secretKey: string;
}

export interface WebPage {
  /** For HttpContext.page: GET /{id}/ when the browser asks for HTML. */
  page: PageHandler;
  /** POST /{id}/answer/ and GET /static/*; for BuildAppOptions.extraRoutes. */
  routes: FastifyPluginAsync;
}

// No inline script or style anywhere; the form may only post to us; nobody may frame the page.
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Every page response holds a personal token (URL, hidden field): never cached, never sent on. */
function pageHeaders(reply: FastifyReply): void {
  reply
    .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .header('Cache-Control', 'no-store')
    .header('Vary', 'Accept, Authorization');
}

const EVENT_TOKEN = /^[0-9a-f]{40}$/i;
/** A slot key as the page writes it (slots.ts slotKey: begin and duration in microseconds). */
const SLOT_KEY = /^-?\d{1,22}\/\d{1,22}$/;
/** Log entries per page, newest first (SPEC §13); every page view adds one, so logs grow long. */
const LOG_PAGE_SIZE = 50;

function formData(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

function values(raw: unknown): string[] {
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
}

/** The slots a submitted form keeps: checkbox values are slot keys (or, for hand-made posts, numbers). */
function selectedSlots(event: EventRecord, raw: unknown): { keep: Slot[] } | { unknown: string[] } {
  const byKey = new Map(event.slots.map((s) => [slotKey(s), s]));
  const chosen = new Set<string>();
  const unknown: string[] = [];
  for (const v of values(raw)) {
    const text = v.trim();
    const n = /^\d{1,3}$/.test(text) ? Number(text) : 0;
    const key = n >= 1 && n <= event.slots.length ? slotKey(event.slots[n - 1]!) : text;
    if (byKey.has(key)) chosen.add(key);
    else unknown.push(text.slice(0, 40));
  }
  if (unknown.length) return { unknown };
  return { keep: event.slots.filter((s) => chosen.has(slotKey(s))) };
}

export function createWebPage(opts: WebPageOptions): WebPage {
  const { deps, auth } = opts;
  const forms = createFormTokens(opts.secretKey);
  const root = new URL(opts.publicUrl).pathname.replace(/\/+$/, '');
  const assets = loadStaticAssets();

  const pageUrl = (id: number, actor: Actor | null, et: string | null, extra = '') => {
    const query = [actor?.kind === 'token' && et ? `et=${encodeURIComponent(et)}` : '', extra].filter(Boolean).join('&');
    return `${root}/${id}/${query ? `?${query}` : ''}`;
  };

  /** An error page; the status is already set on `reply`. */
  function sendErrorPage(reply: FastifyReply, view: ErrorView): FastifyReply {
    pageHeaders(reply);
    return reply.type('text/html; charset=utf-8').send(renderError(view, root));
  }

  const sendError = (reply: FastifyReply, status: number, view: ErrorView) => sendErrorPage(reply.code(status), view);

  /** Domain errors that end the request become a page of their own (status: error-status.ts); anything else is a bug. */
  function sendFailure(reply: FastifyReply, err: unknown, usedToken: boolean): FastifyReply {
    if (!(err instanceof DomainError)) throw err;
    // A bad event token gets a non-Basic challenge: browsers show our page, not a login box.
    if (err.code === 'not_authenticated') reply.header('WWW-Authenticate', usedToken ? 'Token realm="calndro"' : WWW_AUTHENTICATE);
    return sendErrorPage(replyStatusFor(reply, err), failureView(err, usedToken, deps.config.eventTokenTtlDays));
  }

  function missingCredentials(reply: FastifyReply): FastifyReply {
    // Basic challenge: a user with a password can still sign in; everyone else reads the page.
    reply.header('WWW-Authenticate', WWW_AUTHENTICATE);
    return sendError(reply, 401, { heading: 'This page needs your personal link', paragraphs: [
      'Open the link from your latest e-mail about this event. It ends with “?et=” followed by 40 letters and digits; if your mail program cut it off, copy the whole address into the browser.',
    ], link: null });
  }

  /**
   * Renders the page for `actor` (no VIEW logged: callers decide), with the log entries before
   * the cursor `logBefore` (absent: the newest) and plain links to older and newest ones.
   */
  async function show(reply: FastifyReply, status: number, ctx: ActionContext, id: number, et: string | null,
    notice: Notice | ((event: EventRecord) => Notice | null) | null, logBefore?: string) {
    const { event, entries, older } = await getRecentLog(deps, ctx, id, LOG_PAGE_SIZE, { before: logBefore });
    const view = pageView({
      event,
      entries,
      logLinks: {
        older: older && `${pageUrl(event.id, ctx.actor, et, `log_before=${older}`)}#log-h`,
        newest: logBefore === undefined ? null : `${pageUrl(event.id, ctx.actor, et)}#log-h`,
      },
      actor: ctx.actor,
      form: { et: ctx.actor.kind === 'token' ? et : null, csrf: forms.issue(event.id, ctx.actor) },
      notice: typeof notice === 'function' ? notice(event) : notice,
      action: `${root}/${event.id}/answer/`,
      bookAction: `${root}/${event.id}/book/`,
    });
    pageHeaders(reply);
    return reply.code(status).type('text/html; charset=utf-8').send(renderPage(view, root));
  }

  const page: PageHandler = async (request, reply, id) => {
    const et = (request.query as { et?: unknown }).et;
    const token = typeof et === 'string' && et ? et : null;
    let actor: Actor | null;
    try {
      actor = await auth.resolve(request);
    } catch (err) {
      sendFailure(reply, err, token !== null && !request.headers.authorization);
      return;
    }
    if (!actor) {
      missingCredentials(reply);
      return;
    }
    const ctx: ActionContext = { actor, via: 'web' };
    try {
      await viewEvent(deps, ctx, id);
      // PRG target ?answered=1 and the log's ?log_before= (read from the raw URL: the route's query schema keeps only et).
      const query = new URL(request.url, 'http://page.invalid').searchParams;
      const answered = query.get('answered') === '1';
      const booked = query.get('booked') === '1';
      await show(reply, 200, ctx, id, token, (event) => booked && event.status === 'confirmed'
        ? { kind: 'status', text: 'The time is booked: the event is confirmed and every party gets a calendar invitation.' }
        : !answered ? null : {
          kind: 'status',
          text: event.status === 'confirmed'
            ? 'Your answer was saved, and with it every party has chosen the same time: the event is confirmed and everyone gets a calendar invitation.'
            : 'Your answer was saved. The other parties have been sent the new list by e-mail.',
        }, query.get('log_before') ?? undefined);
    } catch (err) {
      sendFailure(reply, err, actor.kind === 'token');
    }
  };

  const routes: FastifyPluginAsync = async (app) => {
    app.get<{ Params: { file: string } }>('/static/:file', { schema: { hide: true } }, async (request, reply) => {
      const asset = assets.get(request.params.file);
      if (!asset) return reply.code(404).send({ detail: 'Not found.' });
      return reply
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'public, max-age=300')
        .type(asset.type)
        .send(asset.body);
    });

    type FormRequest = FastifyRequest<{ Params: { id: string } }>;
    interface Submitted { ctx: ActionContext; event: EventRecord; form: Record<string, unknown>; et: string | null }

    /**
     * What every form POST of the page does first: the event id, the credentials (a form is sent
     * with its link's token or the browser's Basic credentials) and the CSRF field. Then `handle`.
     */
    const formRoute = (handle: (request: FormRequest, reply: FastifyReply, s: Submitted) => Promise<FastifyReply>) =>
      async (request: FormRequest, reply: FastifyReply) => {
        const id = /^\d{1,15}$/.test(request.params.id) ? Number(request.params.id) : NaN;
        if (!Number.isSafeInteger(id)) return sendError(reply, 404, NOT_FOUND);
        const form = formData(request);
        const sent = eventTokenOf(request);
        const et = sent && EVENT_TOKEN.test(sent) ? sent : null;

        let actor: Actor | null;
        try {
          actor = await auth.resolve(request);
        } catch (err) {
          return sendFailure(reply, err, !request.headers.authorization);
        }
        if (!actor) return missingCredentials(reply);
        const ctx: ActionContext = { actor, via: 'web' };

        try {
          const event = await loadEvent(deps, actor, id, 'log'); // checks access, logs nothing
          if (!forms.verify(event.id, actor, form.csrf)) {
            return sendError(reply, 403, {
              heading: 'This form could not be verified',
              paragraphs: ['Nothing was changed. The form was not sent from your page, or it belongs to another link. Open the page again and send your answer from there.'],
              link: { href: pageUrl(event.id, actor, et), text: 'Back to the event' },
            });
          }
          return await handle(request, reply, { ctx, event, form, et });
        } catch (err) {
          if (err instanceof DomainError && (err.code === 'event_closed' || err.code === 'stale_slots' || err.code === 'slot_not_listed')) {
            return show(reply, STATUS_OF_CODE[err.code], ctx, id, et, { kind: 'alert', text: `Nothing was changed: ${err.message}` });
          }
          return sendFailure(reply, err, actor.kind === 'token');
        }
      };

    /** Back to the page (PRG) with a notice flag. */
    const seeOther = (reply: FastifyReply, event: EventRecord, actor: Actor, et: string | null, flag: string) =>
      reply.code(303).header('Location', pageUrl(event.id, actor, et, flag)).header('Cache-Control', 'no-store')
        .header('Referrer-Policy', 'no-referrer').send();

    const answer = formRoute(async (request, reply, { ctx, event, form, et }) => {
      const id = event.id;
      if (event.status !== 'open') {
        return show(reply, 409, ctx, id, et, { kind: 'alert', text: `Nothing was changed: the event is ${event.status}.` });
      }
      if (typeof form.version !== 'string' || form.version !== listVersion(event.slots)) {
        return show(reply, 409, ctx, id, et, { kind: 'alert', text:
          'Nothing was changed: the list of times changed since you opened this page. Here is the current list; please check it and send your answer again.' });
      }
      const picked = selectedSlots(event, form.slot);
      if ('unknown' in picked) {
        return show(reply, 400, ctx, id, et, { kind: 'alert', text: `Nothing was changed: ${picked.unknown.join(', ')} is not on the list.` });
      }
      await answerEvent(deps, ctx, event.id, picked.keep, { expectedSlots: event.slots });
      return seeOther(reply, event, ctx.actor, et, 'answered=1');
    });

    // SPEC §11: the organizer's "Book this time" (one form per slot; the slot named by its key).
    const book = formRoute(async (request, reply, { ctx, event, form, et }) => {
      const key = typeof form.slot === 'string' ? form.slot.trim() : '';
      if (!SLOT_KEY.test(key)) {
        return show(reply, 400, ctx, event.id, et, { kind: 'alert', text: 'Nothing was booked: the form did not name a time of this event.' });
      }
      await bookSlot(deps, ctx, event.id, { slot: parseSlotKey(key) });
      return seeOther(reply, event, ctx.actor, et, 'booked=1');
    });

    // The form parser lives in this route's own context only: anywhere else a urlencoded POST
    // (a cross-site form riding on cached Basic credentials) gets 415 (see build-app.ts).
    await app.register(async (scope) => {
      await scope.register(formbody);
      scope.post('/:id/answer/', { schema: { hide: true } }, answer);
      scope.post('/:id/book/', { schema: { hide: true } }, book);
    });
  };

  return { page, routes };
}
