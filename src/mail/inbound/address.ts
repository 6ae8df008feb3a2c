// Finds our token address among the recipients of an inbound mail. The token in the local part
// is what authorizes a change (SPEC §5), so matching is strict on shape and loose on case:
// MTAs may change the case of local parts (MAIL-NOTES §3), hence hex tokens compared lowercased.

export type TokenRole = 'reply' | 'meet';

export interface TokenAddress {
  /** reply+… receives answers; meet+… is the ORGANIZER of invites and receives iMIP REPLYs. */
  role: TokenRole;
  /**
   * 40 lowercase hex characters, the stored form "h" + its hash, or "x" + 64 hex: a stored form
   * that came from outside, neutralised (security/token-scrub.ts), which identifies nobody.
   */
  token: string;
}

const TOKEN_LOCAL = /^(reply|meet)\+([0-9a-f]{40}|[hx][0-9a-f]{64})$/i;

/** Bare address from "addr", "<addr>" or "Name <addr>"; lowercased, or null when no "@". */
export function bareAddress(value: string): string | null {
  const angle = /<([^<>]*)>\s*$/.exec(value);
  const addr = (angle ? angle[1]! : value).trim().replace(/^mailto:/i, '');
  return addr.includes('@') ? addr.toLowerCase() : null;
}

/**
 * First recipient of the form reply+<token>@mailDomain or meet+<token>@mailDomain, in the
 * order given (callers pass envelope RCPT TO first, then To/Cc/Delivered-To). Null if none.
 */
export function findTokenAddress(recipients: string[], mailDomain: string): TokenAddress | null {
  const domain = mailDomain.trim().toLowerCase();
  for (const recipient of recipients) {
    if (typeof recipient !== 'string') continue;
    const addr = bareAddress(recipient);
    if (!addr) continue;
    const at = addr.lastIndexOf('@');
    if (addr.slice(at + 1) !== domain) continue;
    const m = TOKEN_LOCAL.exec(addr.slice(0, at));
    if (m) return { role: m[1]!.toLowerCase() as TokenRole, token: m[2]!.toLowerCase() };
  }
  return null;
}
