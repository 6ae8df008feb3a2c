// Renders the web page templates (templates/web/*.hbs) and holds the static assets the page
// loads (CSP allows scripts and styles from 'self' only: no inline code anywhere).
// Handlebars escapes HTML by default; strict mode makes a misspelt key throw.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { PageView } from './view-model.js';

export const WEB_DIR = fileURLToPath(new URL('../../../templates/web/', import.meta.url));

export interface ErrorView {
  heading: string;
  /** Paragraphs of plain text (escaped). */
  paragraphs: string[];
  /** A link back to the page, when there is one worth offering. */
  link: { href: string; text: string } | null;
}

type Views = { page: PageView; error: ErrorView };
/** What the layout adds: the <title> and the path prefix of PUBLIC_URL for asset links. */
type Frame = { pageTitle: string; root: string };

let compiled: { [K in keyof Views]: Handlebars.TemplateDelegate<Views[K] & Frame> } | undefined;

function load() {
  const env = Handlebars.create();
  const read = (p: string) => readFileSync(join(WEB_DIR, p), 'utf8');
  for (const file of readdirSync(join(WEB_DIR, 'partials'))) {
    if (file.endsWith('.hbs')) env.registerPartial(file.slice(0, -4), read(join('partials', file)));
  }
  const opts = { strict: true };
  return { page: env.compile(read('page.hbs'), opts), error: env.compile(read('error.hbs'), opts) };
}

export function renderPage(view: PageView, root: string): string {
  compiled ??= load();
  return compiled.page({ ...view, pageTitle: `${view.title} · calndro`, root });
}

export function renderError(view: ErrorView, root: string): string {
  compiled ??= load();
  return compiled.error({ ...view, pageTitle: `${view.heading} · calndro`, root });
}

export interface StaticAsset {
  body: Buffer;
  type: string;
}

/** The files under templates/web/static, read once at start. */
export function loadStaticAssets(): Map<string, StaticAsset> {
  const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };
  const assets = new Map<string, StaticAsset>();
  for (const file of readdirSync(join(WEB_DIR, 'static'))) {
    const type = types[file.split('.').pop() ?? ''];
    if (type) assets.set(file, { body: readFileSync(join(WEB_DIR, 'static', file)), type });
  }
  return assets;
}
