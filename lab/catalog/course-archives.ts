/**
 * The DP-090 course's notebook archives and where to download them. Sums and sizes are from
 * `lab-facts.md` (checked against the course repositories); the sum is what makes a mirror
 * trustworthy, so any URL serving these bytes is as good as the lab's own.
 */
export type NotebookLanguage = "en" | "ja";

export const NOTEBOOK_LANGUAGES: readonly NotebookLanguage[] = ["en", "ja"];

interface CourseRepo {
  readonly repo: string;
  readonly defaultBranch: string;
  /** sha256 of each archive, by file name at the repository root. */
  readonly sums: Readonly<Record<string, string>>;
}

const COURSE_REPOS: Readonly<Record<NotebookLanguage, CourseRepo>> = {
  en: {
    repo: "MicrosoftLearning/dp-090-databricks-ml",
    defaultBranch: "master",
    sums: {
      "01 - Introduction to Azure Databricks.dbc": "a6e2051a2d08db23efa2b3b3cf40c8f039551b47b4a6b9641fbb4d51d02027a7",
      "02 - Training and Evaluating Machine Learning Models.dbc":
        "907107b78ccf0c438b349e625f2e6ed796907c5dcfa1545c7e02269494e5284f",
      "03 - Managing Experiments and Models.dbc": "ff4762752e1f5a99d09f7056ab03936e987fe36ef9ab8f7c3fa763df433ad03e",
      "04 - Integrating Azure Databricks and Azure Machine Learning.dbc":
        "f62cc95f79729433481fd796d630c2350ae8a9e07131826d37360e1753a6a713",
      "05 - Hyperparameter Tuning.dbc": "331188012e63de51dc7c7d297d86514a567ede758478880b6e724c7bfd53d96d",
      "06 - Distributed Deep Learning.dbc": "e7d0735b4e1b8fcf83dd6272b2c8f1ea06a3a19ac1977478b1fdd8baa1eae0f5",
    },
  },
  ja: {
    repo: "MicrosoftLearning/dp-090-databricks-ml.ja-jp",
    defaultBranch: "main",
    sums: {
      "01 - Introduction to Azure Databricks.dbc": "c52b077446cb2d582dcb801b2a4ca58f273412db91ac2daf6fe65b740c6b60ca",
      "02 - Training and Evaluating Machine Learning Models.dbc":
        "6b1d2c8eddc5a62dc5feafbdc5da18c2409c27d4d2b0d6b5c77dcd6685269dfc",
      "03 - Managing Experiments and Models.dbc": "2a2c1d1d10a1760acaeedc9306ee37b75770e52a81e68a435eb1beae4cbaf683",
      "04 - Integrating Azure Databricks and Azure Machine Learning.dbc":
        "d537cb21cdfa21b0d4d6a465680d60b0480c057b518ed7db56146d45a5e4f0cf",
      "05 - Hyperparameter Tuning.dbc": "4da54511be3c0b864c8329c36f78df845f62dc27f1174a216fe8d4eabfb0fdbd",
      "06 - Distributed Deep Learning.dbc": "8a3cde2346abc083c32d49887433b8b470ac96bd16535a0351f66a1dc3e438d8",
    },
  },
};

/** The course module the lab is: its archive's file name in either course repository. */
export const LAB_ARCHIVE = "06 - Distributed Deep Learning.dbc";

/** The branch the 2021 lab text links to; merged into master (PR #55), may disappear. */
const LAB_BRANCH_EN = "madiepev-add-modules";
/** The commit that added the English archives: immutable, the last resort. */
const ADDING_COMMIT_EN = "2f992019959e46ec97aef5fb598e178bcc6b1825";

function rawUrl(repo: string, ref: string, file: string): string {
  return `https://github.com/${repo}/raw/${ref}/${encodeURIComponent(file)}`;
}

/** The archive the lab imports, for a language: its URLs (first is the lab's own) and sum. */
export function defaultArchive(language: NotebookLanguage): { urls: string[]; sha256: string } {
  const { repo, defaultBranch, sums } = COURSE_REPOS[language];
  const urls =
    language === "en"
      ? [LAB_BRANCH_EN, defaultBranch, ADDING_COMMIT_EN].map((ref) => rawUrl(repo, ref, LAB_ARCHIVE))
      : [rawUrl(repo, defaultBranch, LAB_ARCHIVE)];
  return { urls, sha256: sums[LAB_ARCHIVE] };
}

/**
 * GitHub `blob` pages serve HTML; the same path under `raw` serves the file (through a redirect
 * to raw.githubusercontent.com).
 */
export function toDownloadUrl(url: string): string {
  const m = /^https:\/\/github\.com\/([^/]+)\/([^/]+)\/blob\/(.+)$/.exec(url);
  return m ? `https://github.com/${m[1]}/${m[2]}/raw/${m[3]}` : url;
}

/**
 * The known sum of a course archive addressed by URL (any branch or commit of a course repo),
 * so pointing at another module of the course needs no hand-copied checksum.
 */
export function knownSumForUrl(url: string): string | undefined {
  const m =
    /^https:\/\/github\.com\/([^/]+\/[^/]+)\/raw\/[^/]+\/([^/?#]+)$/.exec(url) ??
    /^https:\/\/raw\.githubusercontent\.com\/([^/]+\/[^/]+)\/[^/]+\/([^/?#]+)$/.exec(url);
  if (!m) return undefined;
  const course = Object.values(COURSE_REPOS).find((c) => c.repo.toLowerCase() === m[1].toLowerCase());
  if (!course) return undefined;
  let file: string;
  try {
    file = decodeURIComponent(m[2]);
  } catch {
    return undefined;
  }
  return course.sums[file];
}

/** The names of the notebook languages, for messages. */
export const LANGUAGE_NAMES: Readonly<Record<NotebookLanguage, string>> = { en: "English", ja: "Japanese" };

/** A course archive recognised by its sum: which language and which module it is. */
export function knownArchive(sha256: string): { language: NotebookLanguage; file: string } | undefined {
  for (const language of NOTEBOOK_LANGUAGES) {
    const file = Object.entries(COURSE_REPOS[language].sums).find(([, sum]) => sum === sha256)?.[0];
    if (file) return { language, file };
  }
  return undefined;
}
