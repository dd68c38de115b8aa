/**
 * One cell of a CSV Keepsafe writes (RFC 4180 quoting). A cell a spreadsheet would run as a formula
 * (=, +, -, @, tab, CR at the start: a staff name or an agency comes from the school's own text) is
 * prefixed with a quote mark so it opens as text. Missing values are empty cells.
 */
export const csvCell = (value: string | number | undefined): string => {
  const v = String(value ?? "");
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
