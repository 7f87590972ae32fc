// CSV that a spreadsheet opens safely: RFC 4180 quoting, CRLF, and cells a
// spreadsheet would run as a formula (= + - @ tab CR first) prefixed with '.

export function csv(headers: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  return [headers, ...rows].map((r) => r.map((c) => csvCell(c == null ? '' : String(c))).join(',')).join('\r\n') + '\r\n';
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
