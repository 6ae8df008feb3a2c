// Calendar answers shaped like Outlook's and Google Calendar's (test/fixtures/imip/README.md):
// placeholders filled, then the parts the clients send base64-encoded encoded as they would be.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../fixtures/imip/', import.meta.url));

export interface CalendarFill {
  to: string;
  attendee: string;
  uid: string;
  sequence?: number;
  messageId?: string;
}

export function calendarFixture(name: string, fill: CalendarFill): Buffer {
  const text = readFileSync(DIR + name, 'utf8')
    .replaceAll('{{TO}}', fill.to)
    .replaceAll('{{ATTENDEE}}', fill.attendee)
    .replaceAll('{{UID}}', fill.uid)
    .replaceAll('{{SEQUENCE}}', String(fill.sequence ?? 0))
    .replaceAll('{{MSGID}}', fill.messageId ?? `cal-${Date.now()}-${Math.random().toString(36).slice(2)}`)
    .replace(/\{\{BASE64\}\}\r\n([\s\S]*?)\r\n\{\{\/BASE64\}\}\r\n/g, (_, ics: string) =>
      `${Buffer.from(`${ics}\r\n`).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`);
  return Buffer.from(text);
}
