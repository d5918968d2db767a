import { UserError } from "../errors";

/** Optional file in the project root; environment variables win over it. */
export const SETTINGS_FILE = "lab.settings.json";

export type SettingSource = "environment" | typeof SETTINGS_FILE;

/** One invalid setting, in the words a user needs to fix it. */
export interface SettingProblem {
  readonly setting: string;
  /** The value as given, or undefined when the problem is a missing value. */
  readonly value?: string;
  readonly source?: SettingSource;
  /** What is allowed, as a sentence fragment: "must be ...". */
  readonly problem: string;
  readonly fix: string;
}

export interface SettingWarning {
  readonly setting: string;
  readonly message: string;
}

/** What synth, deploy and destroy did not do when the settings are invalid. */
export const NOTHING_SYNTHESIZED = "nothing was synthesized or created";

/** Every invalid setting at once. */
export class SettingsError extends UserError {
  constructor(
    public readonly problems: readonly SettingProblem[],
    /** What the command did not do because of them, for the first line. */
    outcome: string = NOTHING_SYNTHESIZED,
  ) {
    super(formatProblems(problems, outcome));
  }
}

export function formatProblems(problems: readonly SettingProblem[], outcome: string = NOTHING_SYNTHESIZED): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = [`The lab settings have ${count}; ${outcome}.`];
  for (const p of problems) {
    const subject =
      p.setting === SETTINGS_FILE
        ? p.setting
        : p.value === undefined
          ? `${p.setting} is not set`
          : `${p.setting} = ${JSON.stringify(p.value)}${p.source ? ` (from ${p.source})` : ""}`;
    lines.push("", `  ${subject}`, `    ${p.problem}`, `    Fix: ${p.fix}`);
  }
  return lines.join("\n");
}
