// The REST API (SPEC §3) over fetch, signed in with `Authorization: Token`. Every failure
// becomes an ApiError with a one-paragraph readable message. Lists and logs come a page at a
// time (SPEC §13): list and log fetch every page, following `Link: <…>; rel="next"`.

export interface SlotJson { begin: string; duration: string }

export interface EventJson {
  id: number;
  url: string;
  title: string;
  parties: string[];
  slots: SlotJson[];
  status: string;
  /** Deadline for answers (UTC), null: none (SPEC §11). */
  respond_by?: string | null;
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

/** The URL of `Link: <url>; rel="next"` (one of possibly several comma-separated links), or null. */
export function nextLink(header: string | null): string | null {
  for (const link of header?.split(',') ?? []) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(link);
    if (m && /(^|;)\s*rel\s*=\s*"?next"?\s*(;|$)/i.test(m[2]!)) return m[1]!;
  }
  return null;
}

export class ApiClient {
  private token: string | null = null;

  constructor(readonly baseUrl: string) {}

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.send(method, new URL(path, this.baseUrl), body).then((r) => r.body as T);
  }

  /** The pages of a list from `path` on, each as its body, following the next links. */
  private async *pages<T>(path: string): AsyncGenerator<T> {
    for (let url: URL | null = new URL(path, this.baseUrl); url;) {
      const { body, next } = await this.send('GET', url);
      yield body as T;
      url = next === null ? null : this.onOurServer(new URL(next, url));
    }
  }

  /** Our key goes only to the server we signed in to: a next page elsewhere is not followed. */
  private onOurServer(url: URL): URL {
    const ours = new URL(this.baseUrl).origin;
    if (url.origin === ours) return url;
    throw new ApiError(0, null, `The server's next page is at ${url.origin}, not ${ours}; not followed. Connect to the server's public address (its PUBLIC_URL).`);
  }

  private async send(method: string, url: URL, body?: unknown): Promise<{ body: unknown; next: string | null }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Token ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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
    return { body: parsed, next: nextLink(res.headers.get('link')) };
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

  /** Every event, all pages. */
  list = async () => {
    const events: EventJson[] = [];
    for await (const page of this.pages<EventJson[]>('')) events.push(...page);
    return events;
  };
  create = (body: { title: string; parties: string[]; slots: SlotJson[] }) => this.call<EventJson>('POST', '', body);
  get = (id: number) => this.call<EventJson>('GET', `${id}/`);
  patch = (id: number, body: { slots?: SlotJson[]; title?: string }) => this.call<EventJson>('PATCH', `${id}/`, body);
  /** Books one slot of the list: the event is confirmed (SPEC §11; owner or staff). */
  confirm = (id: number, slot: SlotJson) => this.call<EventJson>('POST', `${id}/confirm/`, { slot });
  notify = (id: number, body: { parties: string[]; slots: SlotJson[] }) =>
    this.call<{ detail: string; recipients: string[] }>('POST', `${id}/notify/`, body);
  /** The whole log, all pages. */
  log = async (id: number) => {
    const pages = this.pages<LogJson>(`${id}/log/`);
    const { value: log } = (await pages.next()) as IteratorYieldResult<LogJson>;
    for await (const page of pages) log.entries.push(...page.entries);
    return log;
  };
}
