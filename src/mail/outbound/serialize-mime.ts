// Message options → RFC 5322 bytes, synchronously. nodemailer's MailComposer builds the MIME
// tree (structure, headers, transfer encodings: all nodemailer's own rules), and this walks that
// tree the way MimeNode#stream does, but over strings instead of a pipeline of streams: the
// streams cost ~4× the encoding itself (bench:outbound profile: stream set-up, AbortSignals, GC).
// The output is byte-identical to MailComposer#build (test/unit/serialize-mime.test.ts).
import { createHmac } from 'node:crypto';
import type { Options } from 'nodemailer/lib/mailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import * as qp from 'nodemailer/lib/qp/index.js';
import * as base64 from 'nodemailer/lib/base64/index.js';
import { writeMime } from './mime-writer.js';

export interface SerializedMessage {
  raw: Buffer;
  envelope: { from: string; to: string[] };
}

/** What MimeNode keeps internally and the typings do not show. */
interface NodeInternals {
  content?: unknown;
  multipart?: string | false;
  boundary?: string;
  childNodes: NodeInternals[];
  contentType?: string;
  _raw?: unknown;
  _transforms: unknown[];
  _processFuncs: unknown[];
  newline?: unknown;
  getTransferEncoding(): string | false;
  buildHeaders(): string;
}

/** Thrown for a tree this serializer does not cover (streams, files, URLs, raw parts). */
class Unsupported extends Error {}

const LINE_LENGTH = 76;

/**
 * The shared part of the multipart boundaries: fixed per message (a retried row is
 * byte-identical), and keyed, so nobody can predict it and forge a boundary inside a title.
 */
export function boundaryFor(secret: string, messageId: string): string {
  return createHmac('sha256', secret).update(messageId).digest('hex').slice(0, 24);
}

function contentBytes(content: unknown): Buffer {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (Buffer.isBuffer(content)) return content;
  throw new Unsupported('content is not a string or a Buffer');
}

function encodeContent(node: NodeInternals, encoding: string | false): string | Buffer {
  const bytes = contentBytes(node.content);
  if (encoding === 'base64') return base64.wrap(base64.encode(bytes), LINE_LENGTH);
  if (encoding === 'quoted-printable') {
    // MimeNode encodes non-text QP in "binary" mode (lone CR/LF escaped); only text/* is covered.
    if (!/^text\//i.test(node.contentType ?? '')) throw new Unsupported('quoted-printable outside text/*');
    return qp.wrap(qp.encode(bytes), LINE_LENGTH);
  }
  return bytes;
}

function walk(node: NodeInternals, out: (string | Buffer)[]): void {
  if (node._raw !== undefined && node._raw !== null && node._raw !== false) throw new Unsupported('raw node');
  if (node._transforms.length || node._processFuncs.length || node.newline) throw new Unsupported('stream transforms');
  const encoding = node.getTransferEncoding();
  out.push(node.buildHeaders() + '\r\n\r\n');
  if (node.content) out.push(encodeContent(node, encoding));
  if (!node.multipart) return;
  node.childNodes.forEach((child, i) => {
    out.push(`${i > 0 ? '\r\n' : ''}--${node.boundary}\r\n`);
    walk(child, out);
  });
  out.push(`\r\n--${node.boundary}--\r\n`);
}

/** Finished message bytes plus the SMTP envelope; falls back to MailComposer's own build. */
export async function serializeMessage(options: Options, baseBoundary: string): Promise<SerializedMessage> {
  // Our own layouts are written directly; the tree walk covers everything else.
  const written = writeMime(options, baseBoundary);
  if (written) return written;
  const root = new MailComposer({ ...options, baseBoundary } as Options).compile();
  const envelope = root.getEnvelope() as SerializedMessage['envelope'];
  const out: (string | Buffer)[] = [];
  try {
    walk(root as unknown as NodeInternals, out);
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    return { raw: await root.build(), envelope };
  }
  const raw = Buffer.concat(out.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
  // MimeNode's LastNewline: the message always ends with a line break.
  const last = raw[raw.length - 1];
  if (last === 0x0a) return { raw, envelope };
  return { raw: Buffer.concat([raw, Buffer.from(last === 0x0d ? '\n' : '\r\n')]), envelope };
}
