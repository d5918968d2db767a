import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

/**
 * The house's size limits (issue 20): a file a newcomer can read, a function one can hold in mind.
 * Tables are data, not functions, so they count only towards their file.
 */
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

const ROOT = join(__dirname, "..");

function sourceFiles(dir: string, extension: RegExp): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path, extension);
    return extension.test(path) ? [path] : [];
  });
}

const FILES = [
  "main.ts",
  ...sourceFiles("lab", /\.ts$/),
  ...sourceFiles("commands", /\.ts$/),
  ...sourceFiles("constructs", /\.ts$/),
  ...sourceFiles("scripts", /\.js$/),
];

/** Every function with a body, named `Class.method`, `function` or `<arrow>` where it has no name. */
function functionsOf(file: string): { name: string; lines: number }[] {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
  const found: { name: string; lines: number }[] = [];
  const line = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const owner = ts.isClassLike(node.parent) ? `${node.parent.name?.getText() ?? "<class>"}.` : "";
      const own = ts.isConstructorDeclaration(node) ? "constructor" : node.name?.getText();
      const variable = ts.isVariableDeclaration(node.parent) ? node.parent.name.getText() : undefined;
      found.push({
        name: `${owner}${own ?? variable ?? "<function>"}`,
        lines: line(node.end) - line(node.getStart()) + 1,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const lineCount = (file: string) => readFileSync(join(ROOT, file), "utf8").split("\n").length;

describe(`no source file over ${MAX_FILE_LINES} lines`, () => {
  test.each(FILES)("%s", (file) => {
    expect(lineCount(file)).toBeLessThanOrEqual(MAX_FILE_LINES);
  });
});

describe(`no function over ${MAX_FUNCTION_LINES} lines`, () => {
  test.each(FILES)("%s", (file) => {
    const long = functionsOf(file)
      .filter((f) => f.lines > MAX_FUNCTION_LINES)
      .map((f) => `${f.name}: ${f.lines} lines`);
    expect(long).toEqual([]);
  });
});

test("the walk finds the project's files and their functions", () => {
  expect(FILES).toEqual(expect.arrayContaining(["main.ts", "lab/azure/preflight.ts", "constructs/lab-stack.ts"]));
  expect(functionsOf("lab/azure/preflight.ts").map((f) => f.name)).toEqual(expect.arrayContaining(["runPreflight"]));
});
