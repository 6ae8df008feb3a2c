// Reads a delivery status notification (RFC 3464): which recipient failed, how, and which of our
// messages bounced. Kept apart from classify.ts because the field syntax is its own little format.

export interface DsnFacts {
  recipient?: string;
  /** Enhanced status code (RFC 3463), e.g. "5.1.1". */
  status?: string;
  /** Action of the chosen recipient block: failed | delayed | delivered | relayed | expanded. */
  action?: string;
  /** 5.x.x or Action: failed without a status = hard bounce; 4.x.x / delayed = soft. */
  permanent: boolean;
  /** Message-ID of the returned message, angle brackets included. */
  originalMessageId?: string;
}

/** Unfolded "name: value" fields of a header-like block; names lowercased; first one wins. */
export function headerFields(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const m = /^([!-9;-~]+)\s*:\s*(.*)$/.exec(line);
    if (m && !fields.has(m[1]!.toLowerCase())) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
  }
  return fields;
}

/** "rfc822; bob@example.com" → "bob@example.com" (address-type prefix, RFC 3464 §2.3.2). */
function addressField(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const addr = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  const bare = addr.trim().replace(/^<|>$/g, '').trim();
  return bare.includes('@') ? bare.toLowerCase() : undefined;
}

function messageId(value: string | undefined): string | undefined {
  const m = value ? /<?([^<>\s]+@[^<>\s]+)>?/.exec(value) : null;
  return m ? `<${m[1]}>` : undefined;
}

/**
 * @param deliveryStatus raw text of the message/delivery-status part (may be empty)
 * @param returnedHeaders header block (or whole text) of the returned message/rfc822 or
 *   text/rfc822-headers part; only the part before the first blank line is read
 */
export function readDsn(deliveryStatus = '', returnedHeaders = ''): DsnFacts {
  // Per-message fields come first, then one block per recipient, separated by blank lines.
  const blocks = deliveryStatus.split(/\r?\n\s*\r?\n/).map(headerFields);
  const perRecipient = blocks.filter((b) => b.has('final-recipient') || b.has('original-recipient'));
  const chosen = perRecipient.find((b) => /^failed/i.test(b.get('action') ?? '')) ?? perRecipient[0] ?? new Map();
  const status = /\b([245])\.\d{1,3}\.\d{1,3}\b/.exec(chosen.get('status') ?? '')?.[0];
  const action = chosen.get('action')?.toLowerCase().split(/\s/)[0];
  const permanent = status ? status.startsWith('5') : action === 'failed';
  const head = returnedHeaders.split(/\r?\n\r?\n/)[0] ?? '';
  const originalMessageId =
    messageId(headerFields(head).get('message-id')) ??
    messageId(blocks.map((b) => b.get('original-message-id') ?? b.get('x-original-message-id')).find(Boolean));
  const recipient = addressField(chosen.get('final-recipient')) ?? addressField(chosen.get('original-recipient'));
  return {
    permanent,
    ...(recipient ? { recipient } : {}),
    ...(status ? { status } : {}),
    ...(action ? { action } : {}),
    ...(originalMessageId ? { originalMessageId } : {}),
  };
}
