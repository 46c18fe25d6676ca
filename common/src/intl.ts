/**
 * Intl formats built once per locale and options, for the API, the bot and the tab. Building one
 * costs far more than using it (the first one in a page or process also loads the locale's data:
 * 50–100 ms in a browser here); the set of locales and options in use is small, and bounded here.
 */
const MAX_KEPT = 256;

function keeper<F>(build: (locale: string, options: object) => F) {
  const kept = new Map<string, F>();
  return (locale: string, options: object = {}): F => {
    const key = `${locale}|${JSON.stringify(options)}`;
    let format = kept.get(key);
    if (!format) {
      format = build(locale, options);
      if (kept.size >= MAX_KEPT) kept.clear();
      kept.set(key, format);
    }
    return format;
  };
}

/** The number format for `locale` and `options`, built once. */
export const numberFormat: (locale: string, options?: Intl.NumberFormatOptions) => Intl.NumberFormat = keeper((locale, options) => new Intl.NumberFormat(locale, options));

/** The date format for `locale` and `options`, built once. */
export const dateTimeFormat: (locale: string, options?: Intl.DateTimeFormatOptions) => Intl.DateTimeFormat = keeper((locale, options) => new Intl.DateTimeFormat(locale, options));
