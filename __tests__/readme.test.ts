import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { ALL_SETTINGS, SETTING_NAMES, SettingDeclaration } from "../lab/settings";

const ROOT = join(__dirname, "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** The rows of the table under a heading: first cell (without backticks), second cell, third cell. */
function tableUnder(heading: string): { name: string; default: string; rule: string }[] {
  const start = README.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no heading ${heading}`);
  const section = README.slice(start + heading.length + 2);
  const lines = section.slice(0, section.search(/\n#{1,3} /)).split("\n");
  return lines
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const [name, defaultCell, rule] = line.split(" | ").map((cell) => cell.replace(/^\| /, "").trim());
      return { name: name.replace(/`/g, ""), default: defaultCell, rule };
    });
}

describe("README settings table", () => {
  const rows = tableUnder("## Settings");
  const declarations = Object.values(ALL_SETTINGS) as SettingDeclaration<unknown>[];

  test("lists every declared setting, once, in the declarations' order", () => {
    expect(rows.map((r) => r.name)).toEqual(SETTING_NAMES);
  });

  test.each(declarations.map((d) => [d.env, d]))(
    "%s: the documented default is the declared one",
    (env, declaration) => {
      expect(rows.find((r) => r.name === env)?.default).toBe(declaration.documentedDefault);
    },
  );

  test("says which settings only cost and preflight read", () => {
    const pricingOnly = declarations.filter((d) => d.scope === "pricing").map((d) => d.env);
    expect(pricingOnly.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect([row.name, row.rule.startsWith("`npm run cost` and preflight only")]).toEqual([
        row.name,
        pricingOnly.includes(row.name),
      ]);
    }
  });
});

/** The English pages and their Japanese translations: README and every page under docs/. */
const DOCS = readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md"));
const PAIRS: [string, string][] = [
  ["README.md", "README.ja.md"],
  ...DOCS.filter((f) => !f.endsWith(".ja.md")).map((f): [string, string] => [
    `docs/${f}`,
    `docs/${f.replace(/\.md$/, ".ja.md")}`,
  ]),
];
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

/** The text outside fenced code blocks, where links and headings are. */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```/gm, "");

/** Every command of the bash blocks, without its comment. */
const commands = (text: string) =>
  [...text.matchAll(/```bash\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1].split("\n"))
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter(Boolean)
    .sort();

/** The settings table: name and the code spans of the default, row by row. */
const settings = (text: string) =>
  text
    .split("\n")
    .filter((line) => /^\| `LAB_[A-Z0-9_]+` \|/.test(line))
    .map((line) => {
      const [name, defaults] = line.split(" | ");
      return [name.replace(/^\| /, ""), [...defaults.matchAll(/`[^`]+`/g)].map((m) => m[0])];
    });

/** The heading levels in order: the pages' outline, which a translation keeps. */
const outline = (text: string) => [...prose(text).matchAll(/^(#+) /gm)].map((m) => m[1].length);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(text).matchAll(/^#+ (.+)$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** The relative links of a page (not web addresses): target file (from the root) and anchor. */
function links(file: string): { target: string; anchor: string }[] {
  return [...prose(read(file)).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((href) => !/^[a-z]+:/.test(href))
    .map((href) => {
      const [path, anchor = ""] = href.split("#");
      return { target: path === "" ? file : posix.join(posix.dirname(file), path), anchor: decodeURIComponent(anchor) };
    });
}

describe.each(PAIRS)("%s and its translation %s cannot drift apart", (en, ja) => {
  test("both exist", () => {
    expect([en, existsSync(join(ROOT, en)), ja, existsSync(join(ROOT, ja))]).toEqual([en, true, ja, true]);
  });

  test("link to each other at the top", () => {
    expect(read(en).split("\n").slice(0, 4).join("\n")).toContain(`[日本語](${posix.basename(ja)})`);
    expect(read(ja).split("\n").slice(0, 4).join("\n")).toContain(`[English](${posix.basename(en)})`);
  });

  test("show the same commands", () => {
    expect(commands(read(ja))).toEqual(commands(read(en)));
  });

  test("list the same settings, in the same order, with the same defaults", () => {
    expect(settings(read(ja))).toEqual(settings(read(en)));
  });

  test("have the same outline of sections", () => {
    expect(outline(read(ja))).toEqual(outline(read(en)));
  });
});

describe("the landing page and the docs pages", () => {
  test("every docs page has its translation", () => {
    const english = DOCS.filter((f) => !f.endsWith(".ja.md"));
    expect(DOCS.filter((f) => f.endsWith(".ja.md")).sort()).toEqual(
      english.map((f) => f.replace(/\.md$/, ".ja.md")).sort(),
    );
    expect(english.length).toBeGreaterThan(0);
  });

  test.each(PAIRS)("the READMEs link to %s and %s, and each page back to its README", (en, ja) => {
    if (en === "README.md") return;
    expect(links("README.md").map((l) => l.target)).toContain(en);
    expect(links("README.ja.md").map((l) => l.target)).toContain(ja);
    expect(links(en).map((l) => l.target)).toContain("README.md");
    expect(links(ja).map((l) => l.target)).toContain("README.ja.md");
  });

  test("the Japanese README lists every declared setting", () => {
    expect(settings(read("README.ja.md")).map(([name]) => name)).toEqual(SETTING_NAMES.map((n) => `\`${n}\``));
  });

  test("only the READMEs hold the settings table, which the declarations check", () => {
    const withTable = PAIRS.flat().filter((file) => settings(read(file)).length > 0);
    expect(withTable).toEqual(["README.md", "README.ja.md"]);
  });

  test("the README stays a landing page: under 250 lines", () => {
    expect(read("README.md").split("\n").length).toBeLessThan(250);
    expect(read("README.ja.md").split("\n").length).toBeLessThan(250);
  });

  const everyLink = [
    ...new Set(
      [...PAIRS.flat(), "ARCHITECTURE.md"].flatMap((file) =>
        links(file).map((link) => JSON.stringify([file, link.target, link.anchor])),
      ),
    ),
  ].map((key) => JSON.parse(key) as [string, string, string]);
  test.each(everyLink)("%s links to %s#%s, which exists", (_file, target, anchor) => {
    expect([target, existsSync(join(ROOT, target))]).toEqual([target, true]);
    if (anchor) expect([target, anchor, anchors(read(target)).has(anchor)]).toEqual([target, anchor, true]);
  });
});
