// POST /api-token-auth/: {username, password} → {token} for `Authorization: Token <key>`.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { issueApiToken } from '../../domain/users.js';
import { FieldErrorsOut, TokenAuthBody, TokenAuthReply } from '../schemas.js';
import type { HttpContext } from '../context.js';

export function tokenAuthRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api-token-auth/', {
      schema: { summary: 'Exchange a username and password for an API token', tags: ['auth'], body: TokenAuthBody,
        response: { 200: TokenAuthReply, 400: FieldErrorsOut, 429: z.object({ detail: z.string() }) } },
    }, async (request) => {
      const { username, password } = request.body;
      const token = await ctx.auth.guardPasswordAttempt(request.ip, username, () => issueApiToken(ctx.deps, username, password));
      return { token };
    });
  };
}
