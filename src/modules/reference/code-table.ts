/** A reference table's lookup by its stable code (branches, occupations). */
export function lookupByCode<T extends { code: string }>(table: readonly T[]): (code: string) => T | undefined {
  const byCode = new Map(table.map((row) => [row.code, row]));
  return (code) => byCode.get(code);
}
