import { statSync } from "node:fs";
import { extname } from "node:path";
import { parse } from "csv-parse/sync";
import { MAX_STUDENTS } from "../catalog/limits";
import { listCapped } from "../errors";
import { readUtf8Text, saveAsUtf8 } from "./text-file";

/** One student of the class. */
export interface Student {
  /** The address they sign in with, lowercased (the workspace lowercases user names). */
  readonly email: string;
  /** How the workspace shows them. */
  readonly name?: string;
}

export interface Roster {
  /** Absolute path of the file read. */
  readonly file: string;
  readonly students: readonly Student[];
}

/** What is wrong with the roster, where, and how to fix it. */
export interface RosterProblem {
  readonly problem: string;
  readonly fix: string;
}

const COLUMNS = ["email", "name"];

/** RFC 5321 4.5.3.1: a local part of at most 64 octets, a path of 256 with its "<" and ">". */
export const MAX_LOCAL_PART = 64;
export const MAX_ADDRESS = 254;
/** RFC 1035 2.3.4: a label of a domain name is at most 63 octets. */
export const MAX_DOMAIN_LABEL = 63;
/** RFC 5322 3.2.3 atext: what an unquoted local part is made of, besides single dots between words. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
/** A host name label: letters, digits and inner hyphens (RFC 1123 2.1). */
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

interface Entry {
  /** "line 4" (CSV) or "entry 3" (JSON). */
  readonly where: string;
  readonly email: unknown;
  readonly name: unknown;
}

/**
 * Reads a class roster: CSV (a header line with `email` and optionally `name`; UTF-8 with or
 * without BOM; CRLF or LF) or JSON (an array of addresses, or of `{ "email", "name" }`). Returns
 * every problem at once.
 */
export function readRoster(file: string): { roster?: Roster; problems: RosterProblem[] } {
  const kind = extname(file).toLowerCase();
  if (kind !== ".csv" && kind !== ".json") {
    return fail(
      `must be a .csv or .json file; ${file} is neither.`,
      "save the roster as CSV (a header line `email,name`, then a line per student) or JSON (an array of addresses).",
    );
  }
  let text: string;
  try {
    if (!statSync(file).isFile()) return fail(`must be a roster file; ${file} is a folder.`, FIX_PATH);
    const read = readUtf8Text(file);
    if ("encoding" in read) return fail(`must be UTF-8 text; ${file} is ${read.encoding}.`, saveAsUtf8(file));
    text = read.text;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return fail(`must be a roster file; nothing is at ${file}.`, FIX_PATH);
    return fail(`must be a readable roster file; ${file} cannot be read (${code ?? (e as Error).message}).`, FIX_PATH);
  }
  const problems: RosterProblem[] = [];
  const entries = kind === ".csv" ? csvEntries(text, problems) : jsonEntries(text, problems);
  const students = checkEntries(entries, problems);
  if (problems.length === 0 && students.length === 0) {
    problems.push({
      problem: "lists no students.",
      fix: "add a line per student under the header, or unset LAB_STUDENTS_FILE for the single-learner lab.",
    });
  }
  if (students.length > MAX_STUDENTS) {
    problems.push({
      problem: `lists ${students.length} students; one lab takes at most ${MAX_STUDENTS} (pinned clusters, import time and quota grow with each).`,
      fix: `split the class into labs of at most ${MAX_STUDENTS} students, each with its own LAB_NAME and roster.`,
    });
  }
  return problems.length > 0 ? { problems } : { roster: { file, students }, problems };
}

const FIX_PATH =
  "check the path (relative paths start at the project root), or unset LAB_STUDENTS_FILE for the single-learner lab.";

function fail(problem: string, fix: string): { problems: RosterProblem[] } {
  return { problems: [{ problem, fix }] };
}

function csvEntries(text: string, problems: RosterProblem[]): Entry[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, csv-parse returns each record with where it was read; its types do not say so.
    rows = parse(text, {
      bom: true,
      info: true,
      // A line may leave out the optional name; extra fields are reported below.
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof rows;
  } catch (e) {
    problems.push({
      problem: `is not a readable CSV file: ${(e as Error).message}`,
      fix: 'check the line named (an unclosed quote, for one); names with commas go in double quotes: "Doe, Jane".',
    });
    return [];
  }
  const [header, ...lines] = rows;
  const columns = (header?.record ?? []).map((c) => c.toLowerCase());
  if (!columns.includes("email")) {
    problems.push({
      problem: `must start with a header line naming an email column; its first line is "${(header?.record ?? []).join(",")}".`,
      fix: "put `email,name` (or just `email`) on the first line, then a line per student.",
    });
    return [];
  }
  const unknown = columns.filter((c) => !COLUMNS.includes(c));
  if (unknown.length > 0) {
    problems.push({
      problem: `line ${header.info.lines}: unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((c) => `"${c}"`).join(", ")}; a roster has email and, optionally, name.`,
      fix: "remove the other columns (or rename them) and run again.",
    });
  }
  return lines.flatMap(({ record, info }): Entry[] => {
    if (record.length > columns.length) {
      problems.push({
        problem: `line ${info.lines} has ${record.length} fields; the header names ${columns.length}.`,
        fix: 'remove the extra fields; a name with a comma goes in double quotes: "Doe, Jane".',
      });
      return [];
    }
    const field = (name: string) => record[columns.indexOf(name)];
    return [
      {
        where: `line ${info.lines}`,
        email: field("email"),
        name: columns.includes("name") ? field("name") : undefined,
      },
    ];
  });
}

function jsonEntries(text: string, problems: RosterProblem[]): Entry[] {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    problems.push({
      problem: `is not valid JSON (${(e as Error).message}).`,
      fix: "fix the syntax, or write the roster as CSV.",
    });
    return [];
  }
  if (!Array.isArray(json)) {
    problems.push({
      problem: 'must be a JSON array of addresses, or of {"email": ..., "name": ...} objects.',
      fix: 'write it as ["jane@example.org", ...] or [{"email": "jane@example.org", "name": "Jane Doe"}, ...].',
    });
    return [];
  }
  return json.flatMap((item, i): Entry[] => {
    const where = `entry ${i + 1}`;
    if (typeof item === "string") return [{ where, email: item, name: undefined }];
    if (typeof item === "object" && item !== null && !Array.isArray(item)) {
      const unknown = Object.keys(item).filter((k) => !COLUMNS.includes(k));
      if (unknown.length > 0) {
        problems.push({
          problem: `${where}: unknown key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}; a student has email and, optionally, name.`,
          fix: "remove the other keys.",
        });
      }
      const { email, name } = item as Record<string, unknown>;
      // null is how exporters write "no name"; any other non-text would be dropped without a word.
      if (name !== undefined && name !== null && typeof name !== "string") {
        problems.push({
          problem: `${where}: its name is ${shortJson(name)}, not text.`,
          fix: 'write the name as a string, like "name": "Jane Doe", or leave it out.',
        });
        return [];
      }
      return [{ where, email, name }];
    }
    problems.push({
      problem: `${where} is ${JSON.stringify(item)}, neither an address nor an object.`,
      fix: 'write each student as an address or as {"email": ..., "name": ...}.',
    });
    return [];
  });
}

/**
 * Why nobody could sign in with this address, or undefined when someone may: the limits of RFC
 * 5321 (lengths), RFC 5322 (an unquoted local part) and RFC 1035 / 1123 (the domain's labels),
 * in ASCII. Microsoft Entra ID decides the rest; a look-alike letter from another alphabet
 * (Cyrillic "а" for "a") is a different address that no one signs in with.
 */
export function emailProblem(text: string): string | undefined {
  const foreign = [...new Set(text.match(/[^\x21-\x7e]/gu) ?? [])];
  if (foreign.length > 0) {
    const shown = foreign
      .slice(0, 5)
      .map((c) => `"${c}" (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")})`);
    return `has characters that are not printable ASCII: ${shown.join(", ")}; look-alikes of ASCII letters make another address`;
  }
  const at = text.lastIndexOf("@");
  if (at <= 0 || at === text.length - 1) return "is not an e-mail address (name@domain)";
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (text.length > MAX_ADDRESS)
    return `is ${text.length} characters long; an address has at most ${MAX_ADDRESS} (RFC 5321)`;
  if (local.length > MAX_LOCAL_PART) {
    return `has a local part (before the @) of ${local.length} characters; at most ${MAX_LOCAL_PART} are allowed (RFC 5321)`;
  }
  if (!local.split(".").every((word) => ATEXT.test(word))) {
    return "has a local part (before the @) that is not plain: letters, digits and !#$%&'*+/=?^_`{|}~-, with single dots between them";
  }
  const labels = domain.split(".");
  if (labels.length < 2) return "has a domain without a dot (name@example.org)";
  const long = labels.find((label) => label.length > MAX_DOMAIN_LABEL);
  if (long)
    return `has a domain label of ${long.length} characters; at most ${MAX_DOMAIN_LABEL} are allowed (RFC 1035)`;
  if (!labels.every((label) => LABEL.test(label)) || /^\d+$/.test(labels[labels.length - 1])) {
    return "has a domain that is not a host name: labels of letters, digits and inner hyphens, separated by single dots";
  }
  return undefined;
}

/**
 * A comma-separated list of addresses as a setting gives it (lower-cased, as the workspace keeps
 * user names), and the entries nobody could sign in with, quoted and capped for a message.
 */
export function readAddressList(raw: string): { emails: string[]; wrong: readonly string[]; wrongList: string } {
  const emails = raw.split(",").map((e) => e.trim().toLowerCase());
  const wrong = emails.filter((e) => !isEmailAddress(e));
  return {
    emails,
    wrong,
    wrongList: `${listCapped(wrong.map((w) => JSON.stringify(w)))} ${wrong.length > 1 ? "are" : "is"} not`,
  };
}

/** Whether someone could sign in with the address (see `emailProblem`). */
export function isEmailAddress(text: string): boolean {
  return emailProblem(text) === undefined;
}

/** A value as JSON, cut short: one line of a 10 MB file is not echoed whole. */
function shortJson(value: unknown, max = 80): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > max ? `${json.slice(0, max)}… (${json.length} characters)` : json;
}

function checkEntries(entries: readonly Entry[], problems: RosterProblem[]): Student[] {
  const seen = new Map<string, string>();
  const students: Student[] = [];
  for (const entry of entries) {
    const email = typeof entry.email === "string" ? entry.email.trim().toLowerCase() : "";
    const wrong = typeof entry.email === "string" ? emailProblem(email) : "is not an e-mail address (name@domain)";
    if (wrong) {
      problems.push({
        problem: `${entry.where}: ${shortJson(entry.email ?? "")} ${wrong}.`,
        fix: "write the address the student signs in to Azure with (a member or guest of the workspace's Microsoft Entra ID tenant).",
      });
      continue;
    }
    const first = seen.get(email);
    if (first) {
      problems.push({
        problem: `${entry.where}: ${email} is already on the roster (${first}); addresses are compared without regard to case.`,
        fix: `remove one of the two (${first} or ${entry.where}).`,
      });
      continue;
    }
    seen.set(email, entry.where);
    const name = typeof entry.name === "string" && entry.name.trim() !== "" ? entry.name.trim() : undefined;
    students.push(name ? { email, name } : { email });
  }
  return students;
}
