import { readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import { parse } from "csv-parse/sync";
import { MAX_STUDENTS } from "../catalog/limits";

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
/** A deliberately plain check: Microsoft Entra ID decides who can sign in, this catches typos. */
const EMAIL = /^[^\s@"<>,;]+@[^\s@"<>,;]+\.[^\s@"<>,;.]+$/;

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
  let text: string;
  try {
    if (!statSync(file).isFile()) return fail(`must be a roster file; ${file} is a folder.`, FIX_PATH);
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return fail(`must be a roster file; nothing is at ${file}.`, FIX_PATH);
    return fail(`must be a readable roster file; ${file} cannot be read (${code ?? (e as Error).message}).`, FIX_PATH);
  }
  const kind = extname(file).toLowerCase();
  if (kind !== ".csv" && kind !== ".json") {
    return fail(
      `must be a .csv or .json file; ${file} is neither.`,
      "save the roster as CSV (a header line `email,name`, then a line per student) or JSON (an array of addresses).",
    );
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
      fix: "split the class into labs of at most 50 students, each with its own LAB_NAME and roster.",
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
      return [{ where, email, name }];
    }
    problems.push({
      problem: `${where} is ${JSON.stringify(item)}, neither an address nor an object.`,
      fix: 'write each student as an address or as {"email": ..., "name": ...}.',
    });
    return [];
  });
}

/** Whether the text looks like a sign-in address (Microsoft Entra ID decides the rest). */
export function isEmailAddress(text: string): boolean {
  return EMAIL.test(text) && text.length <= 254;
}

function checkEntries(entries: readonly Entry[], problems: RosterProblem[]): Student[] {
  const seen = new Map<string, string>();
  const students: Student[] = [];
  for (const entry of entries) {
    const email = typeof entry.email === "string" ? entry.email.trim().toLowerCase() : "";
    if (!isEmailAddress(email)) {
      problems.push({
        problem: `${entry.where}: ${JSON.stringify(entry.email ?? "")} is not an e-mail address.`,
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
