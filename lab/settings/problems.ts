import { UserError, capped } from "../errors";
import { redactUrl } from "../net/http";

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

/** A warning as synth, `npm run cost` and preflight print it. */
export function formatWarning(w: SettingWarning): string {
  return `${w.setting} ${w.message}`;
}

/** What synth, deploy and destroy did not do when the settings are invalid. */
export const NOTHING_SYNTHESIZED = "nothing was synthesized or created";

/** Every invalid setting at once. */
export class SettingsError extends UserError {
  /** Every problem, each value as it may be shown (URL queries and user info hidden). */
  public readonly problems: readonly SettingProblem[];

  constructor(
    problems: readonly SettingProblem[],
    /** What the command did not do because of them, for the first line. */
    outcome: string = NOTHING_SYNTHESIZED,
  ) {
    const shown = problems.map((p) => (p.value === undefined ? p : { ...p, value: redactUrl(p.value) }));
    super(formatProblems(shown, outcome));
    this.problems = shown;
  }
}

/**
 * The message of a list of problems: each setting's first `MAX_LISTED`, then a count of the rest
 * (a roster of a million bad lines reads as a screenful). Values are shown as `redactUrl` leaves them.
 */
export function formatProblems(problems: readonly SettingProblem[], outcome: string = NOTHING_SYNTHESIZED): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = [`The lab settings have ${count}; ${outcome}.`];
  const settings = [...new Set(problems.map((p) => p.setting))];
  for (const setting of settings) {
    const { shown, more } = capped(problems.filter((p) => p.setting === setting));
    for (const p of shown) lines.push(...describe(p));
    if (more > 0) lines.push("", `  ${setting}: ${more} more problem${more === 1 ? "" : "s"} like these, not listed.`);
  }
  return lines.join("\n");
}

function describe(p: SettingProblem): string[] {
  const subject =
    p.setting === SETTINGS_FILE
      ? p.setting
      : p.value === undefined
        ? `${p.setting} is not set`
        : `${p.setting} = ${JSON.stringify(redactUrl(p.value))}${p.source ? ` (from ${p.source})` : ""}`;
  return ["", `  ${subject}`, `    ${p.problem}`, `    Fix: ${p.fix}`];
}
