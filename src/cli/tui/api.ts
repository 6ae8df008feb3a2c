// The REST API (SPEC §3) over fetch, signed in with `Authorization: Token`. Every failure
// becomes an ApiError with a one-paragraph readable message.

export interface SlotJson { begin: string; duration: string }

export interface EventJson {
  id: number;
  url: string;
  title: string;
  parties: string[];
  slots: SlotJson[];
  status: string;
  owner: string;
  answers: Record<string, SlotJson[]>;
}

export interface LogEntryJson {
  id: number;
  when: string;
  occurrence: string;
  effector: string | null;
  slots: SlotJson[];
  data: Record<string, unknown>;
}

export interface LogJson { event: string; parties: string[]; entries: LogEntryJson[] }

const REASONS: Record<number, string> = {
  400: 'invalid request', 401: 'not signed in', 403: 'not allowed', 404: 'not found',
  409: 'conflict', 413: 'request too large', 429: 'too many attempts',
};

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: unknown, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** "404 not found: Not found." plus one line per field message of a 400. */
export function describeFailure(status: number, body: unknown): string {
  const reason = REASONS[status] ?? (status >= 500 ? 'server error' : 'error');
  const head = `${status} ${reason}`;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const { detail, ...rest } = body as Record<string, unknown>;
    const lines = Object.entries(rest)
      .filter(([, v]) => Array.isArray(v) && v.every((m) => typeof m === 'string'))
      .flatMap(([field, v]) => (v as string[]).map((m) => (field === 'non_field_errors' ? `  ${m}` : `  ${field}: ${m}`)));
    if (typeof detail === 'string') return [`${head}: ${detail}`, ...lines].join('\n');
    if (lines.length) return [`${head}:`, ...lines].join('\n');
  }
  return typeof body === 'string' && body ? `${head}: ${body.slice(0, 200)}` : head;
}

export class ApiClient {
  private token: string | null = null;

  constructor(readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Token ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiError(0, null, `Cannot reach the server at ${this.baseUrl}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch { /* not JSON: keep the text for the message */ }
    if (!res.ok) throw new ApiError(res.status, parsed, describeFailure(res.status, parsed));
    return parsed as T;
  }

  /** Signs in with a password; returns the new API key (to save for the next run). */
  async login(username: string, password: string): Promise<string> {
    this.token = null;
    const { token } = await this.call<{ token: string }>('POST', 'api-token-auth/', { username, password });
    this.token = token;
    return token;
  }

  /** Signs in with a saved key; returns its user, or throws (401 when it is refused). */
  async useKey(key: string): Promise<string> {
    this.token = key;
    try {
      return (await this.call<{ user: string }>('GET', 'api-token-auth/')).user;
    } catch (e) {
      this.token = null;
      throw e;
    }
  }

  list = () => this.call<EventJson[]>('GET', '');
  create = (body: { title: string; parties: string[]; slots: SlotJson[] }) => this.call<EventJson>('POST', '', body);
  get = (id: number) => this.call<EventJson>('GET', `${id}/`);
  patch = (id: number, body: { slots?: SlotJson[]; title?: string }) => this.call<EventJson>('PATCH', `${id}/`, body);
  notify = (id: number, body: { parties: string[]; slots: SlotJson[] }) =>
    this.call<{ detail: string; recipients: string[] }>('POST', `${id}/notify/`, body);
  log = (id: number) => this.call<LogJson>('GET', `${id}/log/`);
}
