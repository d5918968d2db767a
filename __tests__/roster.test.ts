import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { MAX_STUDENTS } from "../lab/catalog/limits";
import { MAX_LISTED } from "../lab/errors";
import { SettingsError, loadSettings } from "../lab/settings";
import { MAX_ADDRESS, MAX_DOMAIN_LABEL, MAX_LOCAL_PART, emailProblem, readRoster } from "../lab/settings/roster";
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
        problem: 'line 3: "not-an-address" is not an e-mail address (name@domain).',
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
      'entry 2: "x" is not an e-mail address (name@domain).',
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

describe("addresses someone can sign in with", () => {
  const at = (local: string, domain = "example.org") => `${local}@${domain}`;

  test.each([
    "ada@example.org",
    "ada.lovelace+lab@mail.example.co.jp",
    `${"a".repeat(MAX_LOCAL_PART)}@example.org`,
    `a@${"b".repeat(MAX_DOMAIN_LABEL)}.org`,
    `${"a".repeat(64)}@${["b".repeat(63), "c".repeat(63), "d".repeat(57)].join(".")}.org`,
    "o'brien@example.org",
  ])("%s passes", (address) => {
    expect(emailProblem(address)).toBeUndefined();
  });

  test.each([
    [
      "аda@example.org",
      'has characters that are not printable ASCII: "а" (U+0430); look-alikes of ASCII letters make another address',
    ],
    [
      "ada@exаmple.org",
      'has characters that are not printable ASCII: "а" (U+0430); look-alikes of ASCII letters make another address',
    ],
    [
      "ada lovelace@example.org",
      'has characters that are not printable ASCII: " " (U+0020); look-alikes of ASCII letters make another address',
    ],
    ["ada@", "is not an e-mail address (name@domain)"],
    ["@example.org", "is not an e-mail address (name@domain)"],
    ["ada", "is not an e-mail address (name@domain)"],
    [
      at("a".repeat(MAX_LOCAL_PART + 1)),
      `has a local part (before the @) of ${MAX_LOCAL_PART + 1} characters; at most ${MAX_LOCAL_PART} are allowed (RFC 5321)`,
    ],
    [
      `${"a".repeat(64)}@${["b".repeat(63), "c".repeat(63), "d".repeat(58)].join(".")}.org`,
      `is ${MAX_ADDRESS + 1} characters long; an address has at most ${MAX_ADDRESS} (RFC 5321)`,
    ],
    [
      at("a", `${"b".repeat(MAX_DOMAIN_LABEL + 1)}.org`),
      `has a domain label of ${MAX_DOMAIN_LABEL + 1} characters; at most ${MAX_DOMAIN_LABEL} are allowed (RFC 1035)`,
    ],
    [
      ".ada@example.org",
      "has a local part (before the @) that is not plain: letters, digits and !#$%&'*+/=?^_`{|}~-, with single dots between them",
    ],
    [
      "ada..l@example.org",
      "has a local part (before the @) that is not plain: letters, digits and !#$%&'*+/=?^_`{|}~-, with single dots between them",
    ],
    [
      '"ada"@example.org',
      "has a local part (before the @) that is not plain: letters, digits and !#$%&'*+/=?^_`{|}~-, with single dots between them",
    ],
    ["ada@localhost", "has a domain without a dot (name@example.org)"],
    [
      "ada@example..org",
      "has a domain that is not a host name: labels of letters, digits and inner hyphens, separated by single dots",
    ],
    [
      "ada@-example.org",
      "has a domain that is not a host name: labels of letters, digits and inner hyphens, separated by single dots",
    ],
    [
      "ada@example_x.org",
      "has a domain that is not a host name: labels of letters, digits and inner hyphens, separated by single dots",
    ],
    [
      "ada@10.0.0.1",
      "has a domain that is not a host name: labels of letters, digits and inner hyphens, separated by single dots",
    ],
  ])("%s is refused: %s", (address, problem) => {
    expect(emailProblem(address)).toBe(problem);
  });

  test("a roster line with a look-alike letter names the line and the character", () => {
    expect(roster("class.csv", "email\nаda@example.org\n").problems[0].problem).toBe(
      'line 2: "аda@example.org" has characters that are not printable ASCII: "а" (U+0430); look-alikes of ASCII letters make another address.',
    );
  });
});

describe("what a roster file holds", () => {
  test.each([
    [
      "UTF-16 (little-endian, with a byte order mark)",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("email\r\nada@example.org\r\n", "utf16le")]),
    ],
    [
      "UTF-16 (big-endian, with a byte order mark)",
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("email\n", "utf16le").swap16()]),
    ],
    ["UTF-16 or another encoding with NUL bytes", Buffer.from("email\nada@example.org\n", "utf16le")],
    [
      "not UTF-8 (a legacy code page such as Windows-1252 or Shift_JIS)",
      Buffer.from("email,name\nada@example.org,Ren\xe9e\n", "latin1"),
    ],
  ])("a roster in %s is refused naming its encoding, never printing NULs", (encoding, bytes) => {
    const file = writeTemp("class.csv", bytes);
    const { problems } = readRoster(file);
    expect(problems).toEqual([
      {
        problem: `must be UTF-8 text; ${file} is ${encoding}.`,
        fix: `save ${file} as UTF-8 (in Excel: Save As > "CSV UTF-8"; in Notepad: Save As > Encoding: UTF-8).`,
      },
    ]);
    expect(JSON.stringify(problems)).not.toContain("\\u0000");
  });

  test.each([
    ['{"email": "ada@example.org", "name": 7}', "entry 1: its name is 7, not text."],
    ['{"email": "ada@example.org", "name": ["Ada"]}', 'entry 1: its name is ["Ada"], not text.'],
    ['{"email": "ada@example.org", "name": {"first": "Ada"}}', 'entry 1: its name is {"first":"Ada"}, not text.'],
    ['{"email": "ada@example.org", "name": true}', "entry 1: its name is true, not text."],
  ])("a JSON name of the wrong type is refused, not dropped: %s", (entry, problem) => {
    expect(roster("class.json", `[${entry}]`).problems).toEqual([
      { problem, fix: 'write the name as a string, like "name": "Jane Doe", or leave it out.' },
    ]);
  });

  test("a JSON name of null is no name", () => {
    expect(roster("class.json", '[{"email": "ada@example.org", "name": null}]').roster?.students).toEqual([
      { email: "ada@example.org" },
    ]);
  });

  test.each([
    [MAX_STUDENTS, undefined],
    [
      MAX_STUDENTS + 1,
      `lists ${MAX_STUDENTS + 1} students; one lab takes at most ${MAX_STUDENTS} (pinned clusters, import time and quota grow with each).`,
    ],
  ])("a roster of %i students: %s", (count, problem) => {
    const lines = ["email", ...Array.from({ length: count }, (_, i) => `student${i}@example.org`)].join("\n");
    const result = roster("class.csv", lines);
    expect(result.problems.map((p) => p.problem)).toEqual(problem ? [problem] : []);
    expect(result.roster?.students.length).toBe(problem ? undefined : count);
  });

  test(`a roster of 20,000 bad lines lists ${MAX_LISTED} of them and counts the rest`, () => {
    const dir = tempDir();
    const file = writeTemp(
      "class.csv",
      ["email", ...Array.from({ length: 20_000 }, (_, i) => `bad${i}`)].join("\n"),
      dir,
    );
    let error: SettingsError | undefined;
    try {
      loadSettings({ LAB_STUDENTS_FILE: file, LAB_NOTEBOOK_FILE: file }, { cwd: dir });
    } catch (e) {
      error = e as SettingsError;
    }
    expect(error?.message.split("\n")[0]).toBe(
      "The lab settings have 20000 problems; nothing was synthesized or created.",
    );
    expect(error?.message).toContain(`line ${MAX_LISTED + 1}: "bad${MAX_LISTED - 1}"`);
    expect(error?.message).not.toContain(`"bad${MAX_LISTED}"`);
    expect(error?.message).toContain(`LAB_STUDENTS_FILE: ${20_000 - MAX_LISTED} more problems like these, not listed.`);
    expect(error!.message.length).toBeLessThan(10_000);
  });
});
