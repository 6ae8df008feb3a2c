// Content negotiation for GET /{id}/: a browser (Accept preferring text/html over JSON) gets
// the web page; curl, httpie (`*/*`, application/json) and clients without Accept get JSON.
function quality(accept: string, type: string): number {
  let best = -1;
  for (const part of accept.split(',')) {
    const [media = '', ...params] = part.trim().split(';');
    if (media.trim().toLowerCase() !== type) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    best = Math.max(best, q ? Number(q.slice(2)) || 0 : 1);
  }
  return best;
}

export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = quality(accept, 'text/html');
  if (html <= 0) return false;
  const json = Math.max(quality(accept, 'application/json'), quality(accept, '*/*'));
  return html > json;
}
