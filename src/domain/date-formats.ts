/**
 * Intl.DateTimeFormat instances, made once per format and time zone: making one costs far more than
 * formatting with it (3% of a submit's CPU was making them). Zones are a school's own few; the
 * cap only keeps a stream of unusual zones from growing the cache.
 */
const cache = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATS = 1_000;

export function dateFormat(
  name: string,
  locale: string,
  timeZone: string,
  options: Omit<Intl.DateTimeFormatOptions, "timeZone">,
): Intl.DateTimeFormat {
  const key = `${name}\u0000${timeZone}`;
  let format = cache.get(key);
  if (!format) {
    // An unknown zone throws RangeError here, as it did before, and is not cached.
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    if (cache.size >= MAX_FORMATS) cache.clear();
    cache.set(key, format);
  }
  return format;
}
