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
