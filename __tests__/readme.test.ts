import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ALL_SETTINGS, SETTING_NAMES, SettingDeclaration } from "../lab/settings";

const README = readFileSync(join(__dirname, "..", "README.md"), "utf8");

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

describe("README.ja.md and README.md cannot drift apart", () => {
  const JA = readFileSync(join(__dirname, "..", "README.ja.md"), "utf8");

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

  test("link to each other at the top", () => {
    expect(README.split("\n").slice(0, 4).join("\n")).toContain("[日本語](README.ja.md)");
    expect(JA.split("\n").slice(0, 4).join("\n")).toContain("[English](README.md)");
  });

  test("show the same commands", () => {
    expect(commands(JA)).toEqual(commands(README));
  });

  test("list the same settings, in the same order, with the same defaults", () => {
    expect(settings(JA)).toEqual(settings(README));
    expect(settings(JA).map(([name]) => name)).toEqual(SETTING_NAMES.map((n) => `\`${n}\``));
  });
});
