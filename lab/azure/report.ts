import type { CheckResult, CheckStatus } from "./checks/check";

const STATUS_LABELS: Record<CheckStatus, string> = {
  pass: "PASS",
  fail: "FAIL",
  warn: "WARN",
  info: "INFO",
  skip: "SKIP",
};

export function blocksDeploy(results: readonly CheckResult[]): boolean {
  return results.some((r) => r.status === "fail");
}

/** A table a person reads in a terminal: status, check, details, and a fix under each problem. */
export function formatReport(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.check.length));
  const indent = " ".repeat(4 + 2 + width + 2);
  const lines: string[] = [];
  for (const r of results) {
    const [first, ...rest] = r.detail.split("\n");
    lines.push(`${STATUS_LABELS[r.status]}  ${r.check.padEnd(width)}  ${first}`);
    for (const line of rest) lines.push(`${indent}${line}`);
    if (r.fix && (r.status === "fail" || r.status === "warn")) {
      r.fix.split("\n").forEach((line, i) => lines.push(`${indent}${i === 0 ? "Fix: " : "     "}${line}`));
    }
  }
  const failed = results.filter((r) => r.status === "fail").length;
  lines.push(
    "",
    failed
      ? `${failed} check(s) failed: fix them before \`cdktf deploy\`.`
      : "Nothing blocks a deploy. Run `npx cdktf deploy`.",
  );
  return lines.join("\n");
}
