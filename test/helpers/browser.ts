// The headless Chromium of the browser tests, and how they find an event's mail and its page link.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { CaughtMail } from './mail-catcher.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium from the Debian package (or CHROMIUM_PATH); a clear error when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install the Debian package "chromium" (apt-get install chromium), or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A mail of event `id` to `who`. */
export const forEvent = (id: number, who: string) => (m: CaughtMail) =>
  m.envelope.to.includes(who) && m.parsed.headers.get('x-calndro-event') === String(id);

/** The page link exactly as the mail's text part carries it. */
export function linkIn(mail: CaughtMail): string {
  const link = (mail.parsed.text ?? '').match(/https?:\/\/\S+\/\?et=[0-9a-f]{40}/)?.[0];
  if (!link) throw new Error(`no token link in mail:\n${mail.parsed.text}`);
  return link;
}
