import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { readRoster } from "../lab/settings/roster";
import { tempDir, writeTemp } from "./helpers/dbc";

const roster = (name: string, text: string) => readRoster(writeTemp(name, text));

describe("reading a roster", () => {
  test("CSV with a BOM, CRLF line ends, quoted names and an empty name; addresses lowercased", () => {
    const { roster: r, problems } = roster(
      "class.csv",
      '\uFEFFemail,name\r\nAda@Example.org,Ada Lovelace\r\ngrace@example.org,"Hopper, Grace"\r\nalan@example.org,\r\n\r\n',
    );
    expect(problems).toEqual([]);
    expect(r?.students).toEqual([
      { email: "ada@example.org", name: "Ada Lovelace" },
      { email: "grace@example.org", name: "Hopper, Grace" },
      { email: "alan@example.org" },
    ]);
  });

  test("CSV with only an email column, LF line ends", () => {
    expect(roster("class.csv", "email\nada@example.org\ngrace@example.org\n").roster?.students).toEqual([
      { email: "ada@example.org" },
      { email: "grace@example.org" },
    ]);
  });

  test("JSON: an array of addresses, or of {email, name}", () => {
    expect(roster("class.json", '["Ada@example.org", "grace@example.org"]').roster?.students).toEqual([
      { email: "ada@example.org" },
      { email: "grace@example.org" },
    ]);
    expect(roster("class.json", '[{"email": "ada@example.org", "name": "Ada"}]').roster?.students).toEqual([
      { email: "ada@example.org", name: "Ada" },
    ]);
  });

  test("every problem at once, each with its line, what is wrong and the fix", () => {
    const { roster: r, problems } = roster(
      "class.csv",
      "email,name,phone\nada@example.org,Ada,1\nnot-an-address,Bob,2\nADA@example.org,Ada again,3\n",
    );
    expect(r).toBeUndefined();
    expect(problems).toEqual([
      {
        problem: 'line 1: unknown column "phone"; a roster has email and, optionally, name.',
        fix: "remove the other columns (or rename them) and run again.",
      },
      {
        problem: 'line 3: "not-an-address" is not an e-mail address.',
        fix: "write the address the student signs in to Azure with (a member or guest of the workspace's Microsoft Entra ID tenant).",
      },
      {
        problem:
          "line 4: ada@example.org is already on the roster (line 2); addresses are compared without regard to case.",
        fix: "remove one of the two (line 2 or line 4).",
      },
    ]);
  });

  test("JSON problems name the entry", () => {
    expect(
      roster("class.json", '["ada@example.org", {"email": "x", "phone": 1}, 7]').problems.map((p) => p.problem),
    ).toEqual([
      'entry 2: unknown key "phone"; a student has email and, optionally, name.',
      "entry 3 is 7, neither an address nor an object.",
      'entry 2: "x" is not an e-mail address.',
    ]);
    expect(roster("class.json", '{"students": []}').problems[0].problem).toBe(
      'must be a JSON array of addresses, or of {"email": ..., "name": ...} objects.',
    );
  });

  test("an empty roster, a header without an email column, and too many students", () => {
    expect(roster("class.csv", "email,name\n").problems).toEqual([
      {
        problem: "lists no students.",
        fix: "add a line per student under the header, or unset LAB_STUDENTS_FILE for the single-learner lab.",
      },
    ]);
    expect(roster("class.csv", "ada@example.org\ngrace@example.org\n").problems[0].problem).toBe(
      'must start with a header line naming an email column; its first line is "ada@example.org".',
    );
    const many = ["email", ...Array.from({ length: 51 }, (_, i) => `student${i}@example.org`)].join("\n");
    expect(roster("class.csv", many).problems).toEqual([
      {
        problem: "lists 51 students; one lab takes at most 50 (pinned clusters, import time and quota grow with each).",
        fix: "split the class into labs of at most 50 students, each with its own LAB_NAME and roster.",
      },
    ]);
  });

  test("a missing file, a folder, an unreadable file and another format are refused", () => {
    const dir = tempDir();
    expect(readRoster(join(dir, "none.csv")).problems[0].problem).toBe(
      `must be a roster file; nothing is at ${join(dir, "none.csv")}.`,
    );
    mkdirSync(join(dir, "folder.csv"));
    expect(readRoster(join(dir, "folder.csv")).problems[0].problem).toBe(
      `must be a roster file; ${join(dir, "folder.csv")} is a folder.`,
    );
    expect(roster("class.xlsx", "PK").problems[0].problem).toMatch(/must be a \.csv or \.json file/);
    if (process.getuid?.() !== 0) {
      const locked = writeTemp("locked.csv", "email\na@example.org\n");
      chmodSync(locked, 0);
      expect(readRoster(locked).problems[0].problem).toMatch(/cannot be read \(EACCES\)/);
    }
  });

  test("an unclosed quote is a CSV error naming the line", () => {
    expect(roster("class.csv", 'email,name\nada@example.org,"Ada\n').problems[0].problem).toMatch(
      /^is not a readable CSV file: .*line 2/i,
    );
  });
});

describe("CSV lines that do not fit the header", () => {
  test("a line with more fields than the header is reported, not cut short", () => {
    expect(roster("class.csv", "email,name\nada@example.org,Lovelace,Ada\n").problems).toEqual([
      {
        problem: "line 2 has 3 fields; the header names 2.",
        fix: 'remove the extra fields; a name with a comma goes in double quotes: "Doe, Jane".',
      },
    ]);
  });
});
