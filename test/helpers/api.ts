// A small HTTP client for tests: real requests over node:http (which, unlike fetch, can send
// a body with GET, as httpie does), JSON in and out.
import { request } from 'node:http';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export type Auth = { basic: [string, string] } | { token: string } | { et: string } | undefined;

export interface RequestOptions { auth?: Auth; body?: unknown; rawBody?: string; headers?: Record<string, string> }

/** Headers, path and payload of a test request: credentials added, JSON encoded. */
export function prepareRequest(path: string, opts: RequestOptions): { path: string; headers: Record<string, string>; payload?: Buffer } {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  const auth = opts.auth;
  if (auth && 'basic' in auth) headers.authorization = `Basic ${Buffer.from(auth.basic.join(':')).toString('base64')}`;
  if (auth && 'token' in auth) headers.authorization = `Token ${auth.token}`;
  if (auth && 'et' in auth) path += `${path.includes('?') ? '&' : '?'}et=${auth.et}`;
  let payload: Buffer | undefined;
  if (opts.body !== undefined) {
    payload = Buffer.from(JSON.stringify(opts.body));
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  if (opts.rawBody !== undefined) {
    payload = Buffer.from(opts.rawBody);
    headers['content-length'] = String(payload.length);
  }
  return { path, headers, ...(payload && { payload }) };
}

/** The body as JSON when it is JSON, else as text (null when empty). */
export function parseBody(text: string): unknown {
  try { return text ? JSON.parse(text) : null; } catch { return text; }
}

export function client(base: string) {
  /** `rawBody`: sent as is (e.g. malformed JSON), with the headers given. */
  return function api<T = any>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const { path: target, headers, payload } = prepareRequest(path, opts);
    const url = `${base}${target}`;
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const parsed = parseBody(Buffer.concat(chunks).toString('utf8'));
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
          resolve({ status: res.statusCode ?? 0, headers: h, body: parsed as T });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  };
}
