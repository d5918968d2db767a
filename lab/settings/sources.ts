import { existsSync } from "node:fs";
import { join } from "node:path";
import { distance } from "fastest-levenshtein";
import { redactUrl } from "../net/http";
import { SETTINGS_FILE, SettingProblem, SettingSource, SettingWarning } from "./problems";
import { readUtf8Text, saveAsUtf8 } from "./text-file";

export interface RawValue {
  readonly value: string;
  readonly source: SettingSource;
}

/** The text given for each setting, by variable name; absent when unset or empty. */
export type RawSettings = Readonly<Record<string, RawValue>>;

/**
 * What the user gave: `lab.settings.json`, then the environment over it. Empty values mean unset.
 * Problems of the file itself and near-misses of setting names go to `problems`.
 */
export function readRawSettings(
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  problems: SettingProblem[],
): { raw: RawSettings; warnings: SettingWarning[] } {
  const raw: Record<string, RawValue> = { ...readSettingsFile(names, cwd, problems) };
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== "") raw[name] = { value: value.trim(), source: "environment" };
  }
  return { raw, warnings: unknownEnvironmentSettings(names, env, problems) };
}

function readSettingsFile(names: readonly string[], cwd: string, problems: SettingProblem[]): Record<string, RawValue> {
  const path = join(cwd, SETTINGS_FILE);
  if (!existsSync(path)) return {};
  const fail = (problem: string, fix: string, setting: string = SETTINGS_FILE, value?: string) => {
    problems.push({ setting, value, source: SETTINGS_FILE, problem, fix });
    return {};
  };
  const read = readUtf8Text(path);
  if ("encoding" in read) return fail(`must be UTF-8 text; it is ${read.encoding}.`, saveAsUtf8(path));
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch (e) {
    // The parser quotes the text near the error, which may be a URL with a token in it.
    return fail(`must be valid JSON (${redactUrl((e as Error).message)}).`, `fix the syntax of ${path}, or delete it.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return fail('must be a JSON object of settings, like {"LAB_VARIANT": "gpu"}.', `rewrite ${path} as an object.`);
  }
  const raw: Record<string, RawValue> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const upper = caseVariantOf(names, key);
    if (upper) {
      fail(...differsInCase(upper, `rename "${key}" to "${upper}" in ${SETTINGS_FILE}.`), key, shown(value));
    } else if (!names.includes(key)) {
      const meant = nearestName(names, key);
      fail(
        "is not a lab setting.",
        `use one of ${names.join(", ")}${meant ? ` (did you mean ${meant}?)` : ""}.`,
        key,
        shown(value),
      );
    } else if (typeof value === "string" || typeof value === "number") {
      // Empty means unset, as for an empty environment variable.
      if (String(value).trim() !== "") raw[key] = { value: String(value).trim(), source: SETTINGS_FILE };
    } else {
      fail("must be a string or a number.", `write "${key}": "<value>" in ${SETTINGS_FILE}.`, key, shown(value));
    }
  }
  return raw;
}

/** A value from the file as the user wrote it: the text of a string, JSON of anything else. */
function shown(value: unknown): string {
  return typeof value === "string" || typeof value === "number" ? String(value) : JSON.stringify(value);
}

/**
 * A LAB_* variable that is not a setting is most likely a typo of one: close to a setting's name,
 * it is an error (the lab would quietly be built without it); otherwise a warning.
 */
function unknownEnvironmentSettings(
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  problems: SettingProblem[],
): SettingWarning[] {
  const warnings: SettingWarning[] = [];
  for (const key of Object.keys(env)
    .filter((k) => k.toUpperCase().startsWith("LAB_") && !names.includes(k))
    .sort()) {
    const meant = nearestName(names, key);
    const upper = caseVariantOf(names, key);
    if (upper) {
      const [problem, fix] = differsInCase(upper, `export ${upper} instead (and unset ${key}).`);
      problems.push({ setting: key, value: env[key], source: "environment", problem, fix });
    } else if (!key.startsWith("LAB_")) {
      continue;
    } else if (meant) {
      problems.push({
        setting: key,
        value: env[key],
        source: "environment",
        problem: `is not a lab setting, so the lab would be built without it; ${meant} is.`,
        fix: `rename it to ${meant} (or unset ${key}).`,
      });
    } else {
      warnings.push({ setting: key, message: "is not a lab setting and is ignored." });
    }
  }
  return warnings;
}

/** The setting a name means when it differs from it only in case; environment variables are case-sensitive. */
function caseVariantOf(names: readonly string[], key: string): string | undefined {
  return names.includes(key) ? undefined : names.find((name) => name === key.toUpperCase());
}

function differsInCase(upper: string, fix: string): [string, string] {
  return [
    `differs from ${upper} only in case; setting names are upper case, so the lab would be built without it.`,
    fix,
  ];
}

function nearestName(names: readonly string[], key: string): string | undefined {
  const best = [...names].sort((a, b) => distance(key, a) - distance(key, b))[0];
  return distance(key, best) <= 3 ? best : undefined;
}
