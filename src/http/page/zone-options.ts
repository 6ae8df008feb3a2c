// The page's time zone select (SPEC §12): every IANA zone this runtime knows, grouped by
// region ("Europe", "America", …), UTC first; the reader's current zone selected, added to
// the list when it is not in it (a fixed offset learned from a mail, an alias).
import { zoneDisplayName, type PartyZone } from '../../domain/zones.js';

export interface ZoneOption {
  value: string;
  label: string;
  selected: boolean;
}

export interface ZoneGroup {
  label: string;
  options: ZoneOption[];
}

type Listing = { label: string; options: { value: string; label: string }[] }[];

let listing: Listing | undefined;

/** Built once: region → its zones, labelled by the rest of the name ("Argentina / Buenos Aires"). */
function zoneListing(): Listing {
  if (listing) return listing;
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const [region, ...rest] = zone.split('/');
    const key = rest.length ? region! : 'Other';
    const label = (rest.length ? rest.join(' / ') : zone).replace(/_/g, ' ');
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push({ value: zone, label });
  }
  listing = [
    { label: 'UTC', options: [{ value: 'UTC', label: 'UTC (Coordinated Universal Time)' }] },
    ...[...groups].sort(([a], [b]) => a.localeCompare(b)).map(([label, options]) => ({ label, options })),
  ];
  return listing;
}

/** The groups with `current` selected (null: nothing selected, the select shows a prompt). */
export function zoneGroups(current: PartyZone | undefined): ZoneGroup[] {
  const groups: ZoneGroup[] = zoneListing().map((g) => ({
    label: g.label,
    options: g.options.map((o) => ({ ...o, selected: o.value === current?.zone })),
  }));
  if (current && !groups.some((g) => g.options.some((o) => o.selected))) {
    const label = `${zoneDisplayName(current.zone)}${current.source === 'learned' ? ' (from your latest e-mail)' : ''}`;
    groups.unshift({ label: 'Current', options: [{ value: current.zone, label, selected: true }] });
  }
  return groups;
}
