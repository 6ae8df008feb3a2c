// The one place where domain error codes (statuses: error-status.ts) and framework errors
// become JSON answers.
// 5xx bodies never show internals.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError } from '../domain/errors.js';
import { replyStatusFor } from './error-status.js';

export const WWW_AUTHENTICATE = 'Basic realm="calndro", Token';

function sendDomainError(reply: FastifyReply, err: DomainError) {
  replyStatusFor(reply, err);
  if (err.code === 'validation') return reply.send(err.details.fields ?? { detail: err.message });
  if (err.code === 'not_authenticated') reply.header('WWW-Authenticate', WWW_AUTHENTICATE);
  const { fields: _f, retryAfter: _r, ...extra } = err.details;
  return reply.send({ detail: err.message, ...extra });
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof DomainError) return sendDomainError(reply, err);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields: Record<string, string[]> = {};
      for (const v of err.validation) {
        const path = v.instancePath.split('/').filter(Boolean);
        const field = path[0] ?? (err.validationContext === 'body' ? 'non_field_errors' : err.validationContext ?? 'detail');
        const where = path.length > 1 ? `${path.slice(1).join('.')}: ` : '';
        (fields[field] ??= []).push(`${where}${v.message}`);
      }
      if (err.validationContext === 'params') return reply.code(404).send({ detail: 'Not found.' });
      return reply.code(400).send(fields);
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ detail: 'Request body too large.' });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ detail: err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'Unsupported media type; send JSON.' : err.message });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ detail: 'Internal server error.' });
  });
}
