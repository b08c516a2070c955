const moneyFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** Deal values carry no currency in the data model; shown as plain grouped numbers. */
export function formatMoney(value: number | null): string {
  return value === null ? '' : moneyFormat.format(value);
}
