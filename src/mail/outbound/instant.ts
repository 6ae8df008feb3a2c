// The ISO instants a RenderInput carries as text (`now`, `tokenExpiresAt`) → epoch ms. They are
// ours (written by the domain or the worker), so a malformed value here is a bug and throws.
// Slots are not here: they travel as numbers (SlotView.beginMs, durationMs).

const HAS_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Epoch ms of an ISO instant. No offset is read as UTC (never the host's zone). */
export function parseInstant(iso: string): number {
  const ms = Date.parse(HAS_OFFSET.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(ms)) throw new TypeError(`not an ISO instant: ${JSON.stringify(iso)}`);
  return ms;
}
