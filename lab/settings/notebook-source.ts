import { existsSync, statSync } from "node:fs";
import {
  NOTEBOOK_LANGUAGES,
  NotebookLanguage,
  defaultArchive,
  knownSumForUrl,
  toDownloadUrl,
} from "../catalog/course-archives";
import { redactUrl } from "../net/http";
import { code, invalid, projectPath, setting, valid } from "./declaration";
import { SettingWarning } from "./problems";

/** Where the notebook archive comes from. */
export type NotebookSource =
  | {
      readonly kind: "download";
      /** Tried in order; the first that serves the expected bytes wins. */
      readonly urls: readonly string[];
      /** Expected sha256; undefined only when the user opted out with `unverified`. */
      readonly sha256?: string;
    }
  | {
      readonly kind: "file";
      /** Absolute path of a local `.dbc`. */
      readonly file: string;
      /** Checked when the user gave one. */
      readonly sha256?: string;
    };

/** The opt-out value of LAB_NOTEBOOK_SHA256 for an archive the user cannot pin. */
export const UNVERIFIED = "unverified";

/** The settings that choose the notebook archive; `resolveNotebookSource` combines them. */
export const NOTEBOOK_SETTINGS = {
  notebookLanguage: setting({
    env: "LAB_NOTEBOOK_LANGUAGE",
    scope: "lab",
    documentedDefault: code("en"),
    parse(raw) {
      const language = (raw ?? "en").toLowerCase() as NotebookLanguage;
      if (NOTEBOOK_LANGUAGES.includes(language)) return valid(language);
      return invalid("must be en or ja.", "set LAB_NOTEBOOK_LANGUAGE=en (or ja for the Japanese translation).");
    },
  }),

  notebookUrl: setting({
    env: "LAB_NOTEBOOK_URL",
    scope: "lab",
    documentedDefault: "the lab's archive for the language",
    // Checked by resolveNotebookSource: a URL is ignored, not wrong, when LAB_NOTEBOOK_FILE is set.
    parse: (raw) => valid(raw),
  }),

  notebookSha256: setting({
    env: "LAB_NOTEBOOK_SHA256",
    scope: "lab",
    documentedDefault: "the known sum of the default archive",
    parse(raw) {
      const sum = raw?.toLowerCase();
      if (sum === undefined || sum === UNVERIFIED || /^[0-9a-f]{64}$/.test(sum)) return valid(sum);
      return invalid(
        `must be 64 hexadecimal characters (a sha256 sum), or "${UNVERIFIED}" to skip the check.`,
        "compute it with `sha256sum <file>.dbc`, or unset it to use the known sum of the default archive.",
      );
    },
  }),

  notebookFile: setting({
    env: "LAB_NOTEBOOK_FILE",
    scope: "lab",
    documentedDefault: "unset",
    parse: (raw, context) => valid(projectPath(raw, context)),
  }),
};

export interface NotebookChoice {
  /** Undefined when LAB_NOTEBOOK_LANGUAGE is invalid: the English archive stands in. */
  readonly language?: NotebookLanguage;
  readonly url?: string;
  /** A sum, `unverified`, or undefined (unset, or invalid: see `sha256Invalid`). */
  readonly sha256?: string;
  readonly sha256Invalid: boolean;
  /** Absolute path. */
  readonly file?: string;
}

export interface NotebookProblem {
  readonly setting: string;
  readonly problem: string;
  readonly fix: string;
}

/** The archive the four notebook settings describe together, or what keeps them from describing one. */
export function resolveNotebookSource(choice: NotebookChoice): {
  source?: NotebookSource;
  problems: NotebookProblem[];
  warnings: SettingWarning[];
} {
  const problems: NotebookProblem[] = [];
  const warnings: SettingWarning[] = [];
  const unverified = choice.sha256 === UNVERIFIED;
  const sha256 = unverified ? undefined : choice.sha256;
  const shaValid = !choice.sha256Invalid;
  const done = (source: NotebookSource | undefined) => ({ source: shaValid ? source : undefined, problems, warnings });

  if (choice.file !== undefined) {
    const file = choice.file;
    if (!existsSync(file) || !statSync(file).isFile()) {
      problems.push({
        setting: "LAB_NOTEBOOK_FILE",
        problem: `must be an existing .dbc file; nothing is at ${file}.`,
        fix: "check the path (relative paths start at the project root), or unset LAB_NOTEBOOK_FILE to download the lab's archive. To destroy the lab, no archive is needed: npm run destroy.",
      });
      return done(undefined);
    }
    if (choice.url !== undefined) {
      warnings.push({
        setting: "LAB_NOTEBOOK_URL",
        message: "ignored: LAB_NOTEBOOK_FILE is set and is imported instead.",
      });
    }
    return done({ kind: "file", file, sha256 });
  }

  const lab = defaultArchive(choice.language ?? "en");
  if (choice.url === undefined) {
    if (unverified) warnings.push(unverifiedWarning(lab.urls[0]));
    return done({ kind: "download", urls: lab.urls, sha256: unverified ? undefined : (sha256 ?? lab.sha256) });
  }

  let url: URL | undefined;
  try {
    url = new URL(toDownloadUrl(choice.url));
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    problems.push({
      setting: "LAB_NOTEBOOK_URL",
      problem: "must be an http(s) URL of a .dbc archive.",
      fix: "use a URL such as https://github.com/<owner>/<repo>/raw/<branch>/<file>.dbc, or unset it for the lab's archive.",
    });
    return done(undefined);
  }
  const download = url.toString();
  const urls = lab.urls.includes(download) ? lab.urls : [download];
  if (unverified) {
    warnings.push(unverifiedWarning(download));
    return done({ kind: "download", urls, sha256: undefined });
  }
  if (sha256 === undefined && shaValid) {
    const known = knownSumForUrl(download);
    if (known) return done({ kind: "download", urls, sha256: known });
    problems.push({
      setting: "LAB_NOTEBOOK_SHA256",
      problem:
        "must be set when LAB_NOTEBOOK_URL points at an archive the lab does not know: the sum is what proves the download is the file you meant.",
      fix: `download it once, run \`sha256sum <file>.dbc\` and set LAB_NOTEBOOK_SHA256 to the result, or set LAB_NOTEBOOK_SHA256=${UNVERIFIED} to skip the check.`,
    });
    return done(undefined);
  }
  return done({ kind: "download", urls, sha256 });
}

function unverifiedWarning(url: string): SettingWarning {
  return {
    setting: "LAB_NOTEBOOK_SHA256",
    message: `"${UNVERIFIED}": the archive from ${redactUrl(url)} is not checked against a sum and is downloaded again on every synth.`,
  };
}
