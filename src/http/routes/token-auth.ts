// API keys (SPEC §3): POST /api-token-auth/ {username, password} → {token} for
// `Authorization: Token <key>`; GET shows the presented key; DELETE revokes it;
// DELETE /api-token-auth/all/ revokes every key of the caller.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { issueApiToken, revokeAllApiKeys, revokeApiKey } from '../../domain/api-keys.js';
import { DomainError } from '../../domain/errors.js';
import { ErrorOut, FieldErrorsOut, RevokedReply, TokenAuthBody, TokenAuthReply, TokenInfoReply } from '../schemas.js';
import type { HttpContext } from '../context.js';

const tags = ['auth'];
const keyAuth = [{ tokenAuth: [] }];

export function tokenAuthRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api-token-auth/', {
      schema: { summary: 'Exchange a username and password for an API key', tags, body: TokenAuthBody,
        response: { 200: TokenAuthReply, 400: FieldErrorsOut, 429: ErrorOut } },
    }, async (request) => {
      const { username, password } = request.body;
      const { key, expiresAt } = await issueApiToken(ctx.deps, username, password,
        (email, pw) => ctx.auth.checkPassword(request.ip, email, pw));
      return { token: key, expires_at: expiresAt.toISOString() };
    });

    app.get('/api-token-auth/', {
      schema: { summary: 'Show whose the presented API key is and when it expires', tags, security: keyAuth,
        response: { 200: TokenInfoReply, 400: ErrorOut, 401: ErrorOut } },
    }, async (request) => {
      const { record } = await ctx.auth.presentedKey(request);
      return { user: record.user.email, expires_at: record.expiresAt.toISOString() };
    });

    app.delete('/api-token-auth/', {
      schema: { summary: 'Revoke the presented API key', tags, security: keyAuth,
        response: { 204: z.null().meta({ description: 'Revoked' }), 400: ErrorOut, 401: ErrorOut } },
    }, async (request, reply) => {
      await revokeApiKey(ctx.deps, (await ctx.auth.presentedKey(request)).key);
      return reply.code(204).send(null);
    });

    app.delete('/api-token-auth/all/', {
      schema: { summary: 'Revoke every API key of the signed-in user', tags,
        security: [{ basicAuth: [] }, { tokenAuth: [] }],
        response: { 200: RevokedReply, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut } },
    }, async (request) => {
      const actor = await ctx.auth.required(request);
      if (actor.kind !== 'user') throw new DomainError('forbidden', 'Sign in as the user (Basic or Token), not with an event token.');
      return { revoked: await revokeAllApiKeys(ctx.deps, actor.user) };
    });
  };
}
