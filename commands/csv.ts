/**
 * A CSV cell for a sheet a spreadsheet opens. A cell starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is a formula there (CSV injection, OWASP): it gets a leading `'`, which
 * spreadsheets show as text. Quoted when it holds a quote, a comma, a line break or that prefix.
 */
export function csvField(value: string): string {
  const formula = FORMULA_START.test(value);
  const text = formula ? `'${value}` : value;
  return formula || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** What a spreadsheet reads as the start of a formula. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** A sheet: CRLF line ends, as spreadsheets write them. */
export function csvSheet(rows: readonly (readonly string[])[]): string {
  return `${rows.map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}
