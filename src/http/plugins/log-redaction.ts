// Request logs (LOG_LEVEL=debug) print each request's URL; an event token in `?et=` is a
// credential, so its value is replaced. Keys are compared decoded (`%65t` is `et` to the
// query parser too).
import type { FastifyRequest } from 'fastify';

const REDACTED = '[redacted]';

function decodedKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const pairs = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    return decodedKey(key) === 'et' ? `${key}=${REDACTED}` : pair;
  });
  return `${url.slice(0, q + 1)}${pairs.join('&')}`;
}

/** pino serializer for `req`: Fastify's default fields, with the URL redacted. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
