import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import writeFileAtomic from "write-file-atomic";
import { LAB_ARCHIVE, LANGUAGE_NAMES, NotebookLanguage, knownArchive } from "../catalog/course-archives";
import { MAX_ARCHIVE_BYTES } from "../catalog/limits";
import { UserError, listCapped } from "../errors";
import { fetchWithRetry, isUnreachable, redactUrl } from "../net/http";
import { NotebookSource, UNVERIFIED } from "../settings";

/** A `.dbc` archive that passed every check, on local disk, ready for Terraform. */
export interface NotebookArchive {
  /** The verified copy in the cache, named `<sha256>.dbc` (the extension selects DBC import). */
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
  /** The archive's top-level folder: the folder a person importing it by hand would get. */
  readonly folderName: string;
  /** Paths of the notebooks inside the archive. */
  readonly notebooks: readonly string[];
  /** Every entry's name, as the zip stores it. */
  readonly entries: readonly string[];
  /** Where the bytes came from this time: a URL, a local file, or the cache. */
  readonly origin: string;
}

export interface ArchiveOptions {
  /** Folder of verified archives, by sum; created when missing. */
  readonly cacheDir: string;
  /**
   * Limit for one download attempt, from request to last byte.
   * @default 30000
   */
  readonly timeoutMs?: number;
  /**
   * Attempts per URL for transient failures (network errors, timeouts, 408, 429, 5xx).
   * @default 3
   */
  readonly attempts?: number;
  /**
   * Wait before the first retry; doubled for each further one.
   * @default 1000
   */
  readonly retryDelayMs?: number;
  /**
   * Largest archive accepted, downloaded or local: what the workspace import API takes.
   * @default MAX_ARCHIVE_BYTES
   */
  readonly maxBytes?: number;
  /**
   * The language the settings ask for: a course archive of another language is refused.
   * @default - not checked
   */
  readonly language?: NotebookLanguage;
  /**
   * Progress and advice lines for the person running synth.
   * @default - discarded
   */
  readonly log?: (line: string) => void;
}

/** Sub-folder of the lab's cache folder (LAB_CACHE_DIR) holding verified archives by sum. */
export const ARCHIVE_CACHE = "notebook-archives";

/** What is wrong with an archive, and how to get a good one. */
export interface ArchiveProblem {
  readonly problem: string;
  readonly fix: string;
}

/**
 * The archive cannot be had, or is not the one wanted: about what (`subject`), each problem (a
 * phrase that follows the subject) and its fix.
 */
export class ArchiveError extends UserError {
  constructor(
    public readonly subject: string,
    public readonly problems: readonly ArchiveProblem[],
  ) {
    super(
      problems.length === 1
        ? `${subject} ${problems[0].problem} Nothing was synthesized or created.\nFix: ${problems[0].fix}`
        : [
            `${subject}:`,
            ...problems.flatMap((p) => [`  - ${p.problem}`, `    Fix: ${p.fix}`]),
            "Nothing was synthesized or created.",
          ].join("\n"),
    );
  }
}

/** What the settings asked for, which the checks hold the archive to. */
export interface ArchiveRequest {
  /** LAB_NOTEBOOK_LANGUAGE; undefined: not checked. */
  readonly language?: NotebookLanguage;
  /** The sum the settings pin (given, or known from LAB_NOTEBOOK_URL): the archive asked for by name. */
  readonly sha256?: string;
}

/** One check of an archive that was had: which archive it is and whether it is safe to import. */
export interface ArchiveCheck {
  readonly name: string;
  check(archive: NotebookArchive, request: ArchiveRequest): ArchiveProblem | undefined;
}

/** Every check `resolveNotebookArchive` runs on the archive it got, in the order they are reported. */
export const ARCHIVE_CHECKS: readonly ArchiveCheck[] = [
  {
    name: "size within the workspace import limit",
    check: (archive) => sizeProblem(archive.bytes),
  },
  {
    name: "entries stay inside the archive's folder",
    check(archive) {
      const unsafe = archive.entries.filter((name) => !isSafeEntryName(name)).map((name) => JSON.stringify(name));
      if (!isSafeSegment(archive.folderName)) unsafe.unshift(`its folder name ${JSON.stringify(archive.folderName)}`);
      if (unsafe.length === 0) return undefined;
      return {
        problem: `has entries whose names would leave the folder it is imported into (${listCapped(unsafe)}); every entry must be a relative path of plain names, without "..", ".", empty parts, a leading "/" or backslashes.`,
        fix: "use the course's archive (unset LAB_NOTEBOOK_FILE and LAB_NOTEBOOK_URL to download it), or export the folder again from a workspace (File > Export > DBC Archive).",
      };
    },
  },
  {
    name: "course archive of the language asked for",
    check(archive, request) {
      const known = knownArchive(archive.sha256);
      if (!known || !request.language || known.language === request.language) return undefined;
      return {
        problem: `is the course's ${LANGUAGE_NAMES[known.language]} "${known.file}" (sha256 ${archive.sha256}), but LAB_NOTEBOOK_LANGUAGE is ${request.language}.`,
        fix: `set LAB_NOTEBOOK_LANGUAGE=${known.language} to import it, or give the ${LANGUAGE_NAMES[request.language]} archive (unset LAB_NOTEBOOK_FILE and LAB_NOTEBOOK_URL to download it).`,
      };
    },
  },
  {
    name: "course archive of the lab's module, unless another was asked for",
    check(archive, request) {
      const known = knownArchive(archive.sha256);
      if (!known || known.file === LAB_ARCHIVE || request.sha256 === archive.sha256) return undefined;
      return {
        problem: `is the course's "${known.file}" (sha256 ${archive.sha256}), another module than the lab's "${LAB_ARCHIVE}".`,
        fix: `give the lab's archive (unset LAB_NOTEBOOK_FILE and LAB_NOTEBOOK_URL to download it), or import that module on purpose with LAB_NOTEBOOK_SHA256=${archive.sha256}.`,
      };
    },
  },
];

/**
 * Gets the archive the settings describe: a local file (always read, so what the user names is
 * what gets imported), else from the cache by sum, else from the first URL that serves it; then
 * holds it to every check of `ARCHIVE_CHECKS`, reporting all problems at once.
 */
export async function resolveNotebookArchive(
  source: NotebookSource,
  options: ArchiveOptions,
): Promise<NotebookArchive> {
  const log = options.log ?? (() => undefined);
  const archive = await fetchArchive(source, options, log);
  const request = { language: options.language, sha256: source.sha256 };
  const problems = ARCHIVE_CHECKS.map((c) => c.check(archive, request)).filter((p): p is ArchiveProblem => !!p);
  if (problems.length > 0) throw new ArchiveError(`The notebook archive (${archive.origin})`, problems);
  return archive;
}

/** Why an archive of this size cannot be imported, or undefined when it can. */
function sizeProblem(bytes: number, max = MAX_ARCHIVE_BYTES): ArchiveProblem | undefined {
  if (bytes <= max) return undefined;
  return {
    problem: `is ${bytes} bytes; the workspace import API takes an archive of at most ${max} bytes (10 MB once base64-encoded).`,
    fix: "import a smaller archive (the course's are a few KB): export only the folder the lab needs.",
  };
}

/** A name of one folder or file: not empty, not "." or "..", no separator, no control character. */
function isSafeSegment(segment: string): boolean {
  // eslint-disable-next-line no-control-regex
  return segment !== "" && segment !== "." && segment !== ".." && !/[/\\\u0000-\u001f]/.test(segment);
}

/** A relative path (a folder's ends in "/") whose every part is a plain name. */
function isSafeEntryName(name: string): boolean {
  return name
    .replace(/\/$/, "")
    .split("/")
    .every((segment) => isSafeSegment(segment) && !/^[A-Za-z]:$/.test(segment));
}

async function fetchArchive(
  source: NotebookSource,
  options: ArchiveOptions,
  log: (line: string) => void,
): Promise<NotebookArchive> {
  if (source.kind === "file") {
    const subject = `LAB_NOTEBOOK_FILE ${source.file}`;
    if (!existsSync(source.file)) {
      throw new ArchiveError(subject, [
        {
          problem: "does not exist.",
          fix: "point LAB_NOTEBOOK_FILE at the .dbc, or unset it to download the lab's archive.",
        },
      ]);
    }
    // Measured before it is read: a file too large to import is not worth reading.
    const tooLarge = sizeProblem(statSync(source.file).size, options.maxBytes);
    if (tooLarge) throw new ArchiveError(subject, [tooLarge]);
    const bytes = readFileSync(source.file);
    const failure = check(bytes, source.sha256, source.file);
    if (failure) throw new ArchiveError(subject, [failure]);
    if (!source.sha256) log(describeUnpinned(source.file, sha256Of(bytes), "set LAB_NOTEBOOK_SHA256 to pin it"));
    return store(bytes, source.file, source.file, options.cacheDir);
  }

  if (source.sha256) {
    const cached = readCache(options.cacheDir, source.sha256, source.urls[0]);
    if (cached) return cached;
  }
  const failures: string[] = [];
  // A host that did not answer at all is not asked again for the next URL: the sum makes the
  // URLs interchangeable, not the network.
  const silentHosts = new Set<string>();
  for (const url of source.urls) {
    const host = new URL(url).host;
    const shown = redactUrl(url);
    if (silentHosts.has(host)) {
      failures.push(`${shown}: skipped, ${host} did not answer before.`);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await fetchWithRetry(url, {
        timeoutMs: options.timeoutMs,
        attempts: options.attempts,
        retryDelayMs: options.retryDelayMs,
        maxBytes: options.maxBytes ?? MAX_ARCHIVE_BYTES,
        what: "the notebook archive",
        log,
      });
    } catch (e) {
      if (isUnreachable(e)) silentHosts.add(host);
      failures.push(`${shown}: ${(e as Error).message}`);
      continue;
    }
    const failure = check(bytes, source.sha256, url);
    if (failure) {
      failures.push(`${shown}: ${failure.problem} (${failure.fix})`);
      continue;
    }
    if (!source.sha256) {
      log(
        describeUnpinned(`from ${shown}`, sha256Of(bytes), `set LAB_NOTEBOOK_SHA256 to it instead of "${UNVERIFIED}"`),
      );
    }
    return store(bytes, shown, url, options.cacheDir);
  }
  throw new ArchiveError("The notebook archive", [
    {
      problem: ["could not be had from any address:", ...failures.map((f) => `  - ${f}`)].join("\n"),
      fix: "check the network and LAB_NOTEBOOK_URL / LAB_NOTEBOOK_SHA256, or download the .dbc by hand and set LAB_NOTEBOOK_FILE to its path.",
    },
  ]);
}

/** What to say of an archive taken without a sum: a course archive is known by its sum already. */
export function describeUnpinned(what: string, sha256: string, advice: string): string {
  const known = knownArchive(sha256);
  return known
    ? `Notebook archive ${what} is the course's ${LANGUAGE_NAMES[known.language]} "${known.file}" (sha256 ${sha256}, known to the lab).`
    : `Notebook archive ${what} has sha256 ${sha256}; ${advice}.`;
}

/** Why the bytes are not the archive wanted, or undefined when they are. */
function check(bytes: Buffer, expectedSha256: string | undefined, origin: string): ArchiveProblem | undefined {
  if (expectedSha256) {
    const actual = sha256Of(bytes);
    if (actual !== expectedSha256) {
      return {
        problem: `has the wrong checksum: expected sha256 ${expectedSha256}, got ${actual} (${bytes.length} bytes).`,
        fix: "give the archive whose sum LAB_NOTEBOOK_SHA256 names, or set LAB_NOTEBOOK_SHA256 to this one's sum if it is the archive you mean.",
      };
    }
  }
  try {
    inspectDbc(bytes, origin);
  } catch (e) {
    if (e instanceof ArchiveError) return e.problems[0];
    throw e;
  }
  return undefined;
}

const FIX_NOT_DBC =
  "give a .dbc (File > Export > DBC Archive in a workspace), or unset LAB_NOTEBOOK_FILE and LAB_NOTEBOOK_URL to download the lab's archive.";

/** Reads a `.dbc`: it must be a zip holding at least one Databricks notebook. */
export function inspectDbc(
  bytes: Uint8Array,
  origin: string,
): { folderName: string; notebooks: string[]; entries: string[] } {
  const head = Buffer.from(bytes.subarray(0, 64)).toString("utf8").trimStart();
  if (head.startsWith("<")) {
    return fail(
      "is an HTML page, not a .dbc archive (a GitHub 'blob' link serves a web page; the file is under '/raw/').",
      "use the file's raw link (https://github.com/<owner>/<repo>/raw/<branch>/<file>.dbc), or download it by hand and set LAB_NOTEBOOK_FILE.",
    );
  }
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b))
    return fail("is not a .dbc archive: a .dbc is a zip file, and this is not one.", FIX_NOT_DBC);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    return fail(
      `is not a readable .dbc archive: the zip is damaged (${(e as Error).message}).`,
      "download it again (an interrupted copy is cut short), or unset LAB_NOTEBOOK_FILE and LAB_NOTEBOOK_URL to download the lab's archive.",
    );
  }
  const names = Object.keys(entries).sort();
  const notebooks = names.filter((name) => !name.endsWith("/") && isNotebook(entries[name]));
  if (notebooks.length === 0) {
    return fail(
      `is a zip without Databricks notebooks, so not a .dbc archive (entries: ${names.length ? listCapped(names, 5) : "none"}).`,
      FIX_NOT_DBC,
    );
  }
  const tops = new Set(notebooks.map((n) => (n.includes("/") ? n.slice(0, n.indexOf("/")) : "")));
  const [top] = tops;
  const folderName = tops.size === 1 && top !== "" ? top : basename(decodeSafely(origin)).replace(/\.dbc$/i, "");
  return { folderName, notebooks, entries: names };
}

function isNotebook(data: Uint8Array): boolean {
  try {
    const json = JSON.parse(strFromU8(data));
    return (
      typeof json === "object" &&
      json !== null &&
      ((typeof json.version === "string" && json.version.startsWith("Notebook")) || Array.isArray(json.commands))
    );
  } catch {
    return false;
  }
}

function fail(problem: string, fix: string): never {
  throw new ArchiveError("The file", [{ problem, fix }]);
}

function decodeSafely(pathOrUrl: string): string {
  try {
    return decodeURIComponent(pathOrUrl.replace(/[?#].*$/, ""));
  } catch {
    return pathOrUrl;
  }
}

function sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function cachePath(cacheDir: string, sha256: string): string {
  return join(cacheDir, `${sha256}.dbc`);
}

/** A cached archive is trusted only if its bytes still match the sum in its name. */
function readCache(cacheDir: string, sha256: string, nameHint: string): NotebookArchive | undefined {
  const file = cachePath(cacheDir, sha256);
  if (!existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  if (sha256Of(bytes) !== sha256) {
    rmSync(file, { force: true });
    return undefined;
  }
  return { file, sha256, bytes: bytes.length, origin: "cache", ...inspectDbc(bytes, nameHint) };
}

/** Written atomically (temporary name, then rename), so a crash never leaves a partial file under a trusted name. */
function store(bytes: Buffer, origin: string, nameHint: string, cacheDir: string): NotebookArchive {
  const sha256 = sha256Of(bytes);
  const file = cachePath(cacheDir, sha256);
  mkdirSync(cacheDir, { recursive: true });
  if (!existsSync(file)) writeFileAtomic.sync(file, bytes);
  return { file, sha256, bytes: bytes.length, origin, ...inspectDbc(bytes, nameHint) };
}
