export type MoneyFormat = {
  /** "€37,159.50" */
  exact: (value: number | null) => string;
  /** "€2.4M": for totals in narrow places; the exact figure goes in a tooltip. */
  compact: (value: number) => string;
};

const cache = new Map<string, MoneyFormat>();

/** Formats deal values in the team's currency (ISO 4217), in the user's locale. */
export function moneyFormat(currency: string, locale?: string): MoneyFormat {
  const key = `${currency}|${locale ?? ''}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const exact = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const compact = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    notation: 'compact',
    maximumFractionDigits: 1,
  });
  const format: MoneyFormat = {
    exact: (value) => (value === null ? '' : exact.format(value)),
    compact: (value) => compact.format(value),
  };
  cache.set(key, format);
  return format;
}
