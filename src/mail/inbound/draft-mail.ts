// An organizer's mail to new@MAIL_DOMAIN (SPEC §10) read as a draft proposal: title from the
// Subject, parties from To and Cc plus the sender, candidate times from the new text. Pure:
// it only translates the mail's facts; storing the draft and answering are the caller's job.
import { isEmail, normalizeEmail } from '../../domain/emails.js';
import { normalizeZone, readPlainTimes, zoneOfDateHeader, type PlainTimes, type ZoneSpec } from '../../domain/plain-times.js';
import { bareAddress } from './address.js';
import { DAEMON_FROM, NOREPLY_FROM } from './classify.js';
import type { MailFacts } from './read-mail.js';
import { NEW_LOCAL } from './recipients.js';

export interface DraftReading {
  /** Lower-cased bare From address ('' when the mail has none). */
  sender: string;
  /** Subject without reply/forward prefixes; null when that leaves nothing. */
  title: string | null;
  /** Bare lower-cased addresses, first appearance first, the sender included, no bot or robot address. */
  parties: string[];
  /** The new text the times were read from (quotes and signature cut, SPEC §5). */
  text: string;
  times: PlainTimes;
  /** The zone times without one were read in. */
  zone: ZoneSpec;
}

export interface DraftConfig {
  mailDomain: string;
  /** The bot's own sending addresses (MAIL_FROM): never a party. */
  botAddresses: string[];
  defaultSlotMinutes: number;
  /** The sender's known zone (SPEC §12), else the Date header's offset is used. */
  senderZone: ZoneSpec | null;
  now: Date;
  /** MAIL_NEW_LOCAL; default "new". */
  newLocal?: string;
}

// Re:, Fwd:, Fw:, AW:, WG:, TR:, also "Re[2]:" and repeated ("Re: Fwd: …").
const SUBJECT_PREFIX = /^\s*(?:(?:re|fwd?|aw|wg|tr)\s*(?:\[\d+\])?\s*:\s*)+/iu;
const BOT_LOCAL = /^(?:reply|meet|bounce)\+/i;

export function titleOfSubject(subject: string): string | null {
  const title = subject.replace(SUBJECT_PREFIX, '').trim();
  return title === '' ? null : title;
}

function isBotAddress(address: string, cfg: DraftConfig, bots: Set<string>): boolean {
  if (bots.has(address)) return true;
  const at = address.lastIndexOf('@');
  if (address.slice(at + 1) !== cfg.mailDomain.trim().toLowerCase()) return false;
  const local = address.slice(0, at);
  return local === (cfg.newLocal ?? NEW_LOCAL).toLowerCase() || BOT_LOCAL.test(local);
}

/** Addresses no person reads (no-reply, mailer-daemon, postmaster) or that are no address. */
function isJunk(address: string): boolean {
  return !isEmail(address) || DAEMON_FROM.test(address) || NOREPLY_FROM.test(address);
}

export function draftParties(facts: Pick<MailFacts, 'from' | 'to' | 'cc'>, cfg: DraftConfig): string[] {
  const bots = new Set(cfg.botAddresses.map((a) => bareAddress(a)).filter((a): a is string => a !== null));
  const parties: string[] = [];
  for (const written of [...facts.to, ...facts.cc, facts.from]) {
    const address = bareAddress(written ?? '');
    if (!address) continue;
    const bare = normalizeEmail(address);
    if (parties.includes(bare) || isJunk(bare) || isBotAddress(bare, cfg, bots)) continue;
    parties.push(bare);
  }
  return parties;
}

/** The instant of a Date header; null when absent or unreadable. */
function dateOfHeader(header: string | null): Date | null {
  if (!header) return null;
  const ms = Date.parse(header);
  return Number.isNaN(ms) ? null : new Date(ms);
}

export function readDraft(facts: MailFacts, cfg: DraftConfig): DraftReading {
  // A stored zone that no longer resolves (an old ICU) falls back like an unknown one.
  const zone = (cfg.senderZone ? normalizeZone(cfg.senderZone) : null) ?? (facts.date ? zoneOfDateHeader(facts.date) : null) ?? 'UTC';
  const text = facts.reply ?? '';
  return {
    sender: normalizeEmail(bareAddress(facts.from) ?? ''),
    title: titleOfSubject(facts.subject),
    parties: draftParties(facts, cfg),
    text,
    times: readPlainTimes(text, {
      reference: dateOfHeader(facts.date) ?? cfg.now,
      zone,
      defaultMinutes: cfg.defaultSlotMinutes,
      now: cfg.now,
    }),
    zone,
  };
}
