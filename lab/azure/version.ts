/** Whether `version` (`v20.9.0`, `1.11.4`) is `minimum` (`major.minor.patch`) or later. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = version
    .replace(/^v/, "")
    .split(".")
    .map((n) => parseInt(n, 10) || 0);
  const b = minimum.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i];
  return true;
}
