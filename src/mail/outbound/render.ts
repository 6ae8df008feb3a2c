// Renders one mail (subject, text, HTML) from templates/ — pure apart from reading the
// template files once. Templates are found relative to this module, not the CWD, so the
// worker renders the same way whatever directory the process was started from.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { MailKind, RenderInput } from './payload.js';
import { buildView, oneLine } from './view-model.js';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Format = 'text' | 'html';
type Template = Handlebars.TemplateDelegate;

const KINDS: readonly MailKind[] = ['proposal', 'confirmation', 'cancellation', 'ack', 'help', 'draft-summary', 'organizer-help', 'suggestion', 'suggested', 'reminder', 'summary', 'decline-counter'];
const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

// Text must not be HTML-escaped (a title "Q&A" stays "Q&A"); HTML keeps the default escaping.
// strict: a misspelt variable throws instead of printing nothing.
const COMPILE: Record<Format, CompileOptions> = {
  text: { noEscape: true, strict: true },
  html: { strict: true },
};

let cache: Record<Format, Record<MailKind, Template>> | undefined;

/** One isolated Handlebars environment per format, so partials are compiled with its options. */
function loadFormat(dir: string, format: Format): Record<MailKind, Template> {
  const env = Handlebars.create();
  const suffix = `.${format}.hbs`;
  const read = (path: string): string => readFileSync(path, 'utf8');
  const compile = (source: string): Template => env.compile(source, COMPILE[format]);
  for (const file of readdirSync(join(dir, 'partials'))) {
    if (file.endsWith(suffix)) {
      env.registerPartial(file.slice(0, -suffix.length), compile(read(join(dir, 'partials', file))));
    }
  }
  const templates = {} as Record<MailKind, Template>;
  for (const kind of KINDS) templates[kind] = compile(read(join(dir, `${kind}${suffix}`)));
  return templates;
}

function templates(): Record<Format, Record<MailKind, Template>> {
  cache ??= { text: loadFormat(TEMPLATES_DIR, 'text'), html: loadFormat(TEMPLATES_DIR, 'html') };
  return cache;
}

/** Reads and compiles the templates now (at start) rather than on the first mail. */
export function loadTemplates(): void {
  templates();
}

/** Adds "Re: " unless the subject already has it (no "Re: Re: …" chains). */
function reply(subject: string): string {
  return /^re:/i.test(subject) ? subject : `Re: ${subject}`;
}

export function subjectFor(input: RenderInput): string {
  const title = oneLine(input.title);
  switch (input.kind) {
    case 'proposal':
      return `[calndro] ${title}: pick your slots`;
    case 'confirmation':
      return `Confirmed: ${title}`;
    case 'cancellation':
      return `Cancelled: ${title}`;
    case 'reminder':
      return `Reminder: [calndro] ${title}: pick your slots`;
    case 'summary':
      return `Answers so far: ${title}`;
    case 'ack':
    case 'help':
    case 'suggested':
      return reply(oneLine(input.details?.subject || '') || title);
    case 'suggestion':
      return `[calndro] ${title}: a new time was suggested`;
    case 'decline-counter':
      return `Declined: your suggested time for ${title}`;
    case 'organizer-help':
      return reply(oneLine(input.details?.subject || '') || title);
    case 'draft-summary':
      return `[calndro] Draft: ${title}`;
  }
}

// Conditional blocks leave runs of blank lines in plain text; keep at most one.
const tidyText = (text: string): string => text.replace(/\n{3,}/g, '\n\n').trim() + '\n';

export function renderMail(input: RenderInput): RenderedMail {
  const subject = subjectFor(input);
  const view = buildView(input, subject);
  const t = templates();
  return { subject, text: tidyText(t.text[input.kind](view)), html: t.html[input.kind](view) };
}
