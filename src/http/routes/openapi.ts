// GET /openapi: the OpenAPI 3 document generated from the route schemas (JSON, or YAML with
// `Accept: application/yaml` / `?format=yaml`). Swagger UI is served at /docs.
import type { FastifyPluginAsync } from 'fastify';

export const openapiRoutes: FastifyPluginAsync = async (app) => {
  app.get('/openapi', { schema: { hide: true } }, async (request, reply) => {
    const format = (request.query as { format?: string }).format;
    const wantsYaml = format === 'yaml' || /application\/(x-)?yaml|text\/yaml/i.test(request.headers.accept ?? '');
    if (wantsYaml) return reply.type('application/yaml; charset=utf-8').send(app.swagger({ yaml: true }));
    return reply.type('application/json; charset=utf-8').send(app.swagger());
  });
};
