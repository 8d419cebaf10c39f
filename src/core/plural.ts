/**
 * French plural agreement: 0 and 1 take the singular (« 0 contact », « 1 recherche »),
 * 2 and more the plural. One helper for templates and presenters alike.
 */
const numberFormat = new Intl.NumberFormat('fr-FR');

export function plural(n: number, one: string, many: string): string {
  return Math.abs(n) < 2 ? one : many;
}

/** « 0 contact », « 1 organisme », « 1 250 organismes ». */
export function count(n: number, one: string, many: string): string {
  return `${numberFormat.format(n)} ${plural(n, one, many)}`;
}
