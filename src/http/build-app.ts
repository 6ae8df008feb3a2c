// buildApp(ctx) → a Fastify instance with every route of SPEC §3. Never listens: main.ts
// binds ports, tests listen on port 0.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestValidator } from './schemas.js';
import { installErrorHandlers } from './error-handler.js';
import { getBodyHook } from './plugins/get-body.js';
import { acceptEmptyJson } from './plugins/json-body.js';
import { addSecurityHeaders } from './plugins/security-headers.js';
import { serializeRequest } from './plugins/log-redaction.js';
import { methodNotAllowed } from './routes/method-not-allowed.js';
import { eventRoutes } from './routes/events.js';
import { notifyLogRoutes } from './routes/notify-log.js';
import { confirmRoutes } from './routes/confirm.js';
import { tokenAuthRoutes } from './routes/token-auth.js';
import { openapiRoutes } from './routes/openapi.js';
import { redirectToSlash } from './routes/trailing-slash.js';
import type { HttpContext } from './context.js';
import type { FastifyPluginAsync } from 'fastify';

export interface BuildAppOptions {
  bodyLimit: number;
  logLevel: string;
  /** Fastify's trustProxy (TRUST_PROXY): which X-Forwarded-For hops give request.ip. */
  trustProxy?: boolean | string[];
  /** Extra route plugins (e.g. the web page's form POST), registered after the API. */
  extraRoutes?: FastifyPluginAsync[];
}

export async function buildApp(ctx: HttpContext, opts: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: opts.logLevel,
      redact: ['req.headers.authorization', 'req.headers["x-event-token"]'],
      // Request lines (debug) show the URL with ?et= redacted.
      serializers: { req: serializeRequest },
    },
    bodyLimit: opts.bodyLimit,
    // Request lines only at debug/trace (their ?et= redacted by serializeRequest).
    logController: new LogController({ disableRequestLogging: opts.logLevel !== 'debug' && opts.logLevel !== 'trace' }),
    trustProxy: opts.trustProxy ?? false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(requestValidator);
  // Responses come from our own typed presenters (src/http/present.ts); re-validating every
  // one with zod cost a third of a detail GET in bench:api. Schemas still document them.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installErrorHandlers(app);
  addSecurityHeaders(app);
  acceptEmptyJson(app);
  app.setNotFoundHandler((request, reply) => {
    if (redirectToSlash(request, reply) || methodNotAllowed(app, request, reply)) return;
    void reply.code(404).send({ detail: 'Not found.' });
  });
  app.addHook('preValidation', getBodyHook(opts.bodyLimit));

  // No form parser here: only the page's answer route reads forms (src/http/page/), so a
  // cross-site form riding on cached Basic credentials cannot reach the API (415).
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'calndro API', version: '1.0.0', description: 'E-mail-native appointment coordination (SPEC §3).' },
      servers: [{ url: ctx.publicUrl }],
      components: {
        securitySchemes: {
          basicAuth: { type: 'http', scheme: 'basic' },
          tokenAuth: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <key> from /api-token-auth/' },
          eventToken: { type: 'apiKey', in: 'query', name: 'et', description: 'Personal event token (also X-Event-Token or body field et)' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(openapiRoutes);
  await app.register(tokenAuthRoutes(ctx));
  await app.register(eventRoutes(ctx));
  await app.register(notifyLogRoutes(ctx));
  await app.register(confirmRoutes(ctx));
  for (const extra of opts.extraRoutes ?? []) await app.register(extra);
  return app;
}
