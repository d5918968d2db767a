import { isAbsolute, resolve } from "node:path";
import { LabVariant } from "../catalog/lab-variant";
import { Range, inRange } from "../catalog/limits";

/**
 * Where a setting is checked. `lab`: by synth (so deploy and destroy), cost and preflight.
 * `pricing`: by cost and preflight only; synth takes its default, so a stray value never stops a
 * deploy or a destroy.
 */
export type SettingScope = "lab" | "pricing";

/** What every setting's parse is given. */
export interface ParseContext {
  /** Project root: where relative paths start. */
  readonly cwd: string;
}

/** What a setting that reads LAB_VARIANT (declared with `variantSetting`) is given besides. */
export interface VariantContext extends ParseContext {
  /** The variant, once LAB_VARIANT is valid; undefined while it is not (defaults then follow cpu). */
  readonly variant?: LabVariant;
}

/** The one setting others read: LAB_VARIANT decides their defaults and rules. */
export const VARIANT_SETTING = "LAB_VARIANT";

/** A value (with warnings for choices that work but deserve a second look), or what is wrong. */
export type Parsed<T> =
  { readonly value: T; readonly warnings?: readonly string[] } | { readonly problem: string; readonly fix: string };

/** One setting, all in one place: its name, default, parsing, rule, fix text and scope. */
export interface SettingDeclaration<T> {
  /** The environment variable (and `lab.settings.json` key). */
  readonly env: string;
  readonly scope: SettingScope;
  /** The default as the README's settings table shows it; a test keeps the two equal. */
  readonly documentedDefault: string;
  /**
   * The settings (by variable) its default or rule reads: they are parsed first, and only a
   * declaration that names LAB_VARIANT here gets the variant in its context.
   * @default - none
   */
  readonly reads?: readonly (typeof VARIANT_SETTING)[];
  /**
   * Whether `npm run destroy` checks it. A destroy reads only what names and reaches the state;
   * any other setting that does not parse is as good as unset there, so it never blocks a destroy.
   * @default false
   */
  readonly readByDestroy?: boolean;
  /** The value of the text given (undefined: unset), or the problem and its fix. */
  parse(raw: string | undefined, context: VariantContext): Parsed<T>;
}

/** Declares a setting that reads no other; the value type is inferred from `parse`. */
export function setting<T>(
  declaration: Omit<SettingDeclaration<T>, "reads" | "parse"> & {
    parse(raw: string | undefined, context: ParseContext): Parsed<T>;
  },
): SettingDeclaration<T> {
  return declaration;
}

/** Declares a setting whose default or rule follows the variant (LAB_VARIANT). */
export function variantSetting<T>(declaration: Omit<SettingDeclaration<T>, "reads">): SettingDeclaration<T> {
  return { ...declaration, reads: [VARIANT_SETTING] };
}

export function valid<T>(value: T, ...warnings: string[]): Parsed<T> {
  return warnings.length ? { value, warnings } : { value };
}

export function invalid(problem: string, fix: string): Parsed<never> {
  return { problem, fix };
}

/** The values a table of declarations produces, by key. */
export type ValuesOf<T> = { readonly [K in keyof T]: T[K] extends SettingDeclaration<infer V> ? V : never };

/** How the README writes a literal default. */
export function code(value: string | number): string {
  return `\`${value}\``;
}

/** A default that differs by variant, as the README writes it: "cpu: `a`; gpu: `b`". */
export function perVariant(pick: (variant: LabVariant) => string | number): string {
  return LabVariant.ALL.map((f) => `${f.name}: ${code(pick(f))}`).join("; ");
}

/** The variant's defaults when LAB_VARIANT is invalid: the lab's default, cpu. */
export function variantOrDefault(context: VariantContext): LabVariant {
  return context.variant ?? LabVariant.CPU;
}

/** A plain decimal number above 0 and at most `max` (no sign, no exponent), or undefined. */
export function parsePositiveNumber(text: string, max: number): number | undefined {
  const value = Number(text);
  return /^\d+(\.\d+)?$/.test(text) && value > 0 && value <= max ? value : undefined;
}

/** The whole number given (or the default), or undefined when it is not one or out of range. */
export function parseInteger(value: string | undefined, fallback: number, range: Range): number | undefined {
  const n = value === undefined ? fallback : /^\d+$/.test(value) ? Number(value) : undefined;
  return n !== undefined && inRange(n, range) ? n : undefined;
}

/** A file setting's path: as given when absolute, else from the project root. */
export function projectPath(raw: string | undefined, context: ParseContext): string | undefined {
  return raw === undefined ? undefined : isAbsolute(raw) ? raw : resolve(context.cwd, raw);
}
