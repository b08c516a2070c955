const valueFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const compactFormat = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/** Deal values carry no currency in the schema, so they are shown as plain numbers. */
export function formatValue(value: number): string {
  return valueFormat.format(value);
}

export function formatTotal(value: number): string {
  return value >= 100_000 ? compactFormat.format(value) : valueFormat.format(value);
}
