import { BUDGET_SETTINGS } from "./budget";
import { CLASSROOM_SETTINGS, Classroom, resolveClassroom } from "./classroom";
import { ALL_SETTINGS, SettingKey, SettingValues } from "./all-settings";
import { CROSS_RULES } from "./cross-rules";
import { Parsed, SettingDeclaration, VARIANT_SETTING, ValuesOf, VariantContext } from "./declaration";
import { ENVIRONMENT_SETTINGS, LAB_SETTINGS } from "./lab-settings";
import { NOTEBOOK_SETTINGS, NotebookSource, resolveNotebookSource } from "./notebook-source";
import { PRICING_SETTINGS } from "./pricing";
import { SettingProblem, SettingWarning, SettingsError } from "./problems";
import { REMOTE_STATE_SETTINGS, RemoteState, remoteStateRequiredInCi, resolveRemoteState } from "./remote-state";
import { RawSettings, readRawSettings } from "./sources";

export { ALL_SETTINGS };

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
   * For `npm run destroy`: only the settings a destroy reads (`readByDestroy`) are checked; any
   * other that does not parse is as good as unset, and the roster and the notebook archive are
   * not looked at, so nothing unrelated (a roster file since deleted) blocks a destroy.
   * @default false
   */
  readonly destroy?: boolean;
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
 * Reads, defaults and validates the settings: LAB_VARIANT first (the settings that declare they
 * read it get it), then each other declaration, then the cross-setting rules on the settings they
 * read. Throws a `SettingsError` listing every problem; returns warnings for choices that work but
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
  const destroy = options.destroy === true;
  const checked = (d: SettingDeclaration<unknown>) =>
    destroy ? d.readByDestroy === true : d.scope === "lab" || options.pricing === true;

  const { values, invalid } = parseDeclarations(raw, options.cwd, checked, report, warnings);
  if (!destroy) applyCrossRules(values, invalid, report, warnings);

  // A destroy imports nothing: the lab's own archive stands in, whatever the notebook settings say.
  const notebook = resolveNotebookSource(
    destroy
      ? { sha256Invalid: false }
      : {
          language: invalid.has("notebookLanguage") ? undefined : values.notebookLanguage,
          url: values.notebookUrl,
          sha256: invalid.has("notebookSha256") ? undefined : values.notebookSha256,
          sha256Invalid: invalid.has("notebookSha256"),
          file: values.notebookFile,
        },
  );
  if (!destroy) {
    for (const p of notebook.problems) report(p.setting, p.problem, p.fix);
    warnings.push(...notebook.warnings);
  }

  const classroom = destroy ? { problems: [] } : resolveClassroom(values.studentsFile, values.classroomCompute);
  for (const p of classroom.problems) report(CLASSROOM_SETTINGS.studentsFile.env, p.problem, p.fix);
  if (values.studentsFile === undefined && raw[CLASSROOM_SETTINGS.classroomCompute.env]) {
    warnings.push({
      setting: CLASSROOM_SETTINGS.classroomCompute.env,
      message: "ignored: LAB_STUDENTS_FILE is not set, so there is no class.",
    });
  }

  const remote = resolveRemoteState(
    values,
    values.name,
    Object.values(REMOTE_STATE_SETTINGS)
      .map((d) => d.env)
      .filter((name) => raw[name] !== undefined),
  );
  warnings.push(...remote.warnings);
  const account = REMOTE_STATE_SETTINGS.stateStorageAccount.env;
  const stateless = options.changesLab ? remoteStateRequiredInCi(env, raw[account] !== undefined) : undefined;
  if (stateless) report(stateless.setting, stateless.problem, stateless.fix);

  if (problems.length > 0 || !notebook.source) throw new SettingsError(inSettingOrder(problems), options.outcome);

  const settings = toLabSettings(values, notebook.source, classroom.classroom, remote.remoteState);
  return { settings, warnings };
}

type Report = (setting: string, problem: string, fix: string) => void;

/**
 * Every declaration's value: LAB_VARIANT first, because the settings that declare they read it
 * get it (nothing while it is invalid); an invalid value is reported (when `checked`) and stands
 * at its default, and its key goes into `invalid` so nothing that reads it judges it.
 */
function parseDeclarations(
  raw: RawSettings,
  cwd: string,
  checked: (d: SettingDeclaration<unknown>) => boolean,
  report: Report,
  warnings: SettingWarning[],
): { values: SettingValues; invalid: ReadonlySet<SettingKey> } {
  const invalid = new Set<SettingKey>();
  const parse = <T>(key: SettingKey, declaration: SettingDeclaration<T>, context: VariantContext): T => {
    const result = declaration.parse(raw[declaration.env]?.value, context);
    if ("value" in result) {
      for (const message of result.warnings ?? []) warnings.push({ setting: declaration.env, message });
      return result.value;
    }
    invalid.add(key);
    if (checked(declaration)) report(declaration.env, result.problem, result.fix);
    return valueOf(declaration.parse(undefined, context), declaration.env);
  };
  const variant = parse("variant", ALL_SETTINGS.variant, { cwd });
  const validVariant = invalid.has("variant") ? undefined : variant;
  const values: SettingValues = mapSettings(ALL_SETTINGS, (key, declaration) =>
    key === "variant"
      ? variant
      : parse(
          key,
          declaration,
          declaration.reads?.includes(VARIANT_SETTING) ? { cwd, variant: validVariant } : { cwd },
        ),
  );
  return { values, invalid };
}

/** The cross-setting rules, each only when every setting it reads is valid. */
function applyCrossRules(
  values: SettingValues,
  invalid: ReadonlySet<SettingKey>,
  report: Report,
  warnings: SettingWarning[],
): void {
  for (const rule of CROSS_RULES) {
    if (rule.reads.some((key) => invalid.has(key))) continue;
    const finding = rule.check(values);
    if (finding?.level === "error") report(finding.setting, finding.problem, finding.fix);
    else if (finding) warnings.push({ setting: finding.setting, message: finding.message });
  }
}

/** The settings as the rest of the project reads them, field by field (a forgotten one fails to compile). */
function toLabSettings(
  values: SettingValues,
  notebook: NotebookSource,
  classroom: Classroom | undefined,
  remoteState: RemoteState | undefined,
): LabSettings {
  return {
    name: values.name,
    location: values.location,
    variant: values.variant,
    sku: values.sku,
    nodeType: values.nodeType,
    workers: values.workers,
    runtime: values.runtime,
    autoterminationMinutes: values.autoterminationMinutes,
    maxAutoterminationMinutes: values.maxAutoterminationMinutes,
    allowedIpRanges: values.allowedIpRanges,
    maxTokenLifetimeDays: values.maxTokenLifetimeDays,
    subscriptionId: values.subscriptionId,
    cacheDir: values.cacheDir,
    budget: values.budget,
    budgetEmails: values.budgetEmails,
    notebookLanguage: values.notebookLanguage,
    notebook,
    classroom,
    remoteState,
    removeStudents: values.removeStudents,
    pricing: { currency: values.currency, apiUrl: values.apiUrl, dbuPerHour: values.dbuPerHour },
  };
}

/** A default's value: every declaration's default parses (a test holds each to it). */
function valueOf<T>(parsed: Parsed<T>, env: string): T {
  if ("value" in parsed) return parsed.value;
  throw new Error(`the default of ${env} does not parse: ${parsed.problem}`);
}

/**
 * Each declaration's value, by key. The one place the types are asserted: an object built key by
 * key from `table`, each value from that key's own declaration.
 */
function mapSettings<T extends Record<string, SettingDeclaration<unknown>>>(
  table: T,
  value: (key: keyof T & string, declaration: SettingDeclaration<unknown>) => unknown,
): ValuesOf<T> {
  return Object.fromEntries(Object.entries(table).map(([key, d]) => [key, value(key, d)])) as ValuesOf<T>;
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
