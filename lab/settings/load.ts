import { ClassroomCompute } from "../catalog/classroom-compute";
import { ClusterFlavor } from "../catalog/cluster-flavor";
import { BUDGET_SETTINGS } from "./budget";
import { CLASSROOM_SETTINGS, Classroom, resolveClassroom } from "./classroom";
import { REMOTE_STATE_SETTINGS, RemoteState, remoteStateRequiredInCi, resolveRemoteState } from "./remote-state";
import { CROSS_RULES, CrossRuleInput } from "./cross-rules";
import { ParseContext, SettingDeclaration, ValuesOf } from "./declaration";
import { ENVIRONMENT_SETTINGS, LAB_SETTINGS } from "./lab-settings";
import { NOTEBOOK_SETTINGS, NotebookSource, resolveNotebookSource } from "./notebook-source";
import { PRICING_SETTINGS } from "./pricing";
import { SettingProblem, SettingWarning, SettingsError } from "./problems";
import { readRawSettings } from "./sources";

/** Every setting, in the order the README lists them and problems are reported. */
export const ALL_SETTINGS = {
  ...LAB_SETTINGS,
  ...NOTEBOOK_SETTINGS,
  ...CLASSROOM_SETTINGS,
  ...BUDGET_SETTINGS,
  ...REMOTE_STATE_SETTINGS,
  ...ENVIRONMENT_SETTINGS,
  ...PRICING_SETTINGS,
};

const DECLARATIONS: readonly SettingDeclaration<unknown>[] = Object.values(ALL_SETTINGS);

export const SETTING_NAMES: readonly string[] = DECLARATIONS.map((d) => d.env);

export type PricingSettings = ValuesOf<typeof PRICING_SETTINGS>;

/** Everything a user may change about the lab, validated and with defaults applied. */
export type LabSettings = ValuesOf<typeof LAB_SETTINGS> &
  ValuesOf<typeof ENVIRONMENT_SETTINGS> &
  /** The monthly budget (LAB_BUDGET) and who its alerts go to (LAB_BUDGET_EMAILS). */
  ValuesOf<typeof BUDGET_SETTINGS> & {
    readonly notebookLanguage: ValuesOf<typeof NOTEBOOK_SETTINGS>["notebookLanguage"];
    /** The archive the notebook settings describe together. */
    readonly notebook: NotebookSource;
    /** The class, when LAB_STUDENTS_FILE names a roster. */
    readonly classroom?: Classroom;
    /** Azure Storage for the Terraform state, when the LAB_STATE_* settings name it; else local state. */
    readonly remoteState?: RemoteState;
    /** Students the user confirmed may be removed with their notebooks (LAB_REMOVE_STUDENTS). */
    readonly removeStudents: readonly string[];
    /** For `npm run cost`; defaults unless `pricing` was asked for when loading. */
    readonly pricing: PricingSettings;
  };

export interface LoadOptions {
  /** Project root: where `lab.settings.json` is looked for and relative paths start. */
  readonly cwd: string;
  /**
   * Whether the pricing settings are checked (scope `pricing`). Only the cost estimate uses them,
   * so a stray value must not stop a synth, a deploy or a destroy.
   * @default false
   */
  readonly pricing?: boolean;
  /**
   * What the command does not do when a setting is invalid, for the error's first line.
   * @default "nothing was synthesized or created"
   */
  readonly outcome?: string;
  /**
   * Whether the command plans or changes the lab (synth, which deploy, diff and destroy run; preflight):
   * in CI such a command is refused without remote state.
   * @default false
   */
  readonly changesLab?: boolean;
}

/**
 * Reads, defaults and validates the settings: each declaration, then the cross-setting rules.
 * Throws a `SettingsError` listing every problem; returns warnings for choices that work but
 * deserve a second look.
 */
export function loadSettings(
  env: Readonly<Record<string, string | undefined>>,
  options: LoadOptions,
): { settings: LabSettings; warnings: SettingWarning[] } {
  const problems: SettingProblem[] = [];
  const { raw, warnings } = readRawSettings(SETTING_NAMES, env, options.cwd, problems);
  const report = (setting: string, problem: string, fix: string) =>
    problems.push({ setting, value: raw[setting]?.value, source: raw[setting]?.source, problem, fix });

  const values: Record<string, unknown> = {};
  const invalid = new Set<string>();
  for (const [key, declaration] of Object.entries(ALL_SETTINGS) as [string, SettingDeclaration<unknown>][]) {
    const context: ParseContext = { cwd: options.cwd, flavor: values.flavor as ClusterFlavor | undefined };
    const checked = declaration.scope === "lab" || options.pricing === true;
    const result = declaration.parse(raw[declaration.env]?.value, context);
    if ("value" in result) {
      values[key] = result.value;
      for (const message of result.warnings ?? []) warnings.push({ setting: declaration.env, message });
    } else if (checked) {
      invalid.add(declaration.env);
      report(declaration.env, result.problem, result.fix);
    } else {
      // An unchecked setting that does not parse is as good as unset.
      values[key] = (declaration.parse(undefined, context) as { value: unknown }).value;
    }
  }

  for (const rule of CROSS_RULES) {
    const finding = rule.check(values as CrossRuleInput);
    if (finding?.level === "error") report(finding.setting, finding.problem, finding.fix);
    else if (finding) warnings.push({ setting: finding.setting, message: finding.message });
  }

  const notebook = resolveNotebookSource({
    language: values.notebookLanguage as LabSettings["notebookLanguage"] | undefined,
    url: values.notebookUrl as string | undefined,
    sha256: values.notebookSha256 as string | undefined,
    sha256Invalid: invalid.has(NOTEBOOK_SETTINGS.notebookSha256.env),
    file: values.notebookFile as string | undefined,
  });
  for (const p of notebook.problems) report(p.setting, p.problem, p.fix);
  warnings.push(...notebook.warnings);

  const studentsFile = values.studentsFile as string | undefined;
  const classroom = resolveClassroom(studentsFile, values.classroomCompute as ClassroomCompute | undefined);
  for (const p of classroom.problems) report(CLASSROOM_SETTINGS.studentsFile.env, p.problem, p.fix);
  if (studentsFile === undefined && raw[CLASSROOM_SETTINGS.classroomCompute.env]) {
    warnings.push({
      setting: CLASSROOM_SETTINGS.classroomCompute.env,
      message: "ignored: LAB_STUDENTS_FILE is not set, so there is no class.",
    });
  }

  const remote = resolveRemoteState(
    values,
    values.name as string,
    Object.values(REMOTE_STATE_SETTINGS)
      .map((d) => d.env)
      .filter((env) => raw[env] !== undefined),
  );
  warnings.push(...remote.warnings);
  const account = REMOTE_STATE_SETTINGS.stateStorageAccount.env;
  const stateless = options.changesLab ? remoteStateRequiredInCi(env, raw[account] !== undefined) : undefined;
  if (stateless) report(stateless.setting, stateless.problem, stateless.fix);

  if (problems.length > 0 || !notebook.source) throw new SettingsError(inSettingOrder(problems), options.outcome);

  const pick = (table: object) => Object.fromEntries(Object.keys(table).map((key) => [key, values[key]]));
  const settings = {
    ...pick(LAB_SETTINGS),
    ...pick(ENVIRONMENT_SETTINGS),
    ...pick(BUDGET_SETTINGS),
    notebookLanguage: values.notebookLanguage,
    notebook: notebook.source,
    classroom: classroom.classroom,
    remoteState: remote.remoteState,
    removeStudents: values.removeStudents,
    pricing: pick(PRICING_SETTINGS),
  };
  return { settings: settings as LabSettings, warnings };
}

/**
 * The lab's name as the settings give it, when that one setting is valid, whatever the others
 * are: the stack a refused synth must not leave deployable.
 */
export function labNameOf(env: Readonly<Record<string, string | undefined>>, cwd: string): string | undefined {
  const { raw } = readRawSettings(SETTING_NAMES, env, cwd, []);
  const name = LAB_SETTINGS.name.parse(raw[LAB_SETTINGS.name.env]?.value, { cwd });
  return "value" in name ? name.value : undefined;
}

/** Problems of the settings file first, then by setting, in the README's order. */
function inSettingOrder(problems: readonly SettingProblem[]): SettingProblem[] {
  const rank = (p: SettingProblem) => {
    const i = SETTING_NAMES.indexOf(p.setting);
    return i < 0 ? -1 : i;
  };
  return [...problems].sort((a, b) => rank(a) - rank(b));
}
