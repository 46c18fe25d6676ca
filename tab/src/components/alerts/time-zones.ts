/**
 * IANA time zones for the tenant's time-zone picker: every zone the browser knows
 * (`Intl.supportedValuesOf("timeZone")`), each labelled in the reader's language with its city,
 * its generic name and its offset today ("Paris — Central European Time (GMT+1)"), searchable by
 * any of them, accents and case ignored.
 */
export interface ZoneChoice {
  id: string;
  city: string;
  name: string;
  offset: string;
  /** Lower-case, accent-free text the search matches. */
  search: string;
}

const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();

function part(zone: string, locale: string, style: Intl.DateTimeFormatOptions["timeZoneName"], at: Date): string {
  try {
    return new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: style }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? zone;
  } catch {
    return zone;
  }
}

export function zoneChoice(id: string, locale: string, at: Date = new Date()): ZoneChoice {
  const city = (id.split("/").pop() ?? id).replace(/_/g, " ");
  const name = part(id, locale, "longGeneric", at);
  const offset = part(id, locale, "shortOffset", at);
  return { id, city, name, offset, search: fold(`${id} ${city} ${name} ${offset}`) };
}

export function allZones(locale: string, at: Date = new Date()): ZoneChoice[] {
  const ids = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"];
  const unique = ids.includes("UTC") ? ids : ["UTC", ...ids];
  return unique.map((id) => zoneChoice(id, locale, at));
}

/** The zones whose city, id, name or offset contains every word typed. */
export function searchZones(zones: readonly ZoneChoice[], text: string): ZoneChoice[] {
  const words = fold(text).split(/\s+/).filter(Boolean);
  return words.length === 0 ? [...zones] : zones.filter((z) => words.every((w) => z.search.includes(w)));
}
