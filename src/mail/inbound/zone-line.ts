// A reply line that names the writer's time zone (SPEC §12): `tz Europe/Paris`,
// `time zone: Europe/Paris`, `timezone: +09:00`, `Zeitzone: Europe/Berlin`,
// `fuseau horaire : Europe/Paris`. It may stand alone or beside an answer; the rest of the
// reply is read as before.

export interface ZoneLine {
  /** What follows the keyword, as written (checked by the domain). */
  zone: string;
  /** The reply without its zone lines. */
  rest: string;
}

const KEYWORD = String.raw`(?:tz|time[ \t]*zone|zeitzone|fuseau[ \t]+horaire)`;
// With a colon anything may follow (an unknown zone gets a helpful reply); without one only a
// single word does, so a sentence such as "time zone is fine" stays prose.
const WITH_COLON = new RegExp(String.raw`^[ \t]*${KEYWORD}[ \t]*[:=][ \t]*(\S.*?)[ \t]*$`, 'i');
const WITHOUT_COLON = new RegExp(String.raw`^[ \t]*${KEYWORD}[ \t]+((?:utc|gmt)[ \t]*[+\-\u2212]\S*|\S+)[ \t]*$`, 'i');

/** The last zone line of a reply and the reply without zone lines; null when it has none. */
export function readZoneLine(reply: string): ZoneLine | null {
  let zone: string | null = null;
  const rest: string[] = [];
  for (const line of reply.split(/\r?\n/)) {
    const m = WITH_COLON.exec(line) ?? WITHOUT_COLON.exec(line);
    if (m) zone = m[1]!.replace(/[.;,]+$/, '');
    else rest.push(line);
  }
  return zone === null ? null : { zone, rest: rest.join('\n').trim() };
}
