import { readFileSync } from "node:fs";

/**
 * The text of a UTF-8 file the user wrote (a roster, `lab.settings.json`), its BOM dropped; or, for
 * a file in another encoding, what it is. Editors on Windows save "Unicode" as UTF-16, which read
 * as UTF-8 shows a NUL after every letter; a legacy code page shows replacement characters.
 */
export function readUtf8Text(file: string): { text: string } | { encoding: string } {
  const bytes = readFileSync(file);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: "UTF-16 (little-endian, with a byte order mark)" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: "UTF-16 (big-endian, with a byte order mark)" };
  if (bytes.includes(0)) return { encoding: "UTF-16 or another encoding with NUL bytes" };
  const text = bytes.toString("utf8");
  if (text.includes("\uFFFD")) return { encoding: "not UTF-8 (a legacy code page such as Windows-1252 or Shift_JIS)" };
  return { text: text.replace(/^\uFEFF/, "") };
}

/** The fix for a file in another encoding. */
export function saveAsUtf8(file: string): string {
  return `save ${file} as UTF-8 (in Excel: Save As > "CSV UTF-8"; in Notepad: Save As > Encoding: UTF-8).`;
}
