// --only names are checked before anything runs: a typo must not plan (and
// journal) an empty restore that every later run would "resume". Pure.

/** Names in `only` that neither the catalogue nor the DC's SAPI knows. */
export function unknownServices(only: readonly string[], known: Iterable<string>): string[] {
  const k = new Set(known);
  return only.filter((s) => !k.has(s));
}

export function onlyUsage(unknown: readonly string[], known: Iterable<string>): string {
  return `--only: no service named ${unknown.map((u) => `"${u}"`).join(', ')}; valid names: ${[...new Set(known)].sort().join(', ')}`;
}
