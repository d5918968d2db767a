import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import writeFileAtomic from "write-file-atomic";
import { LANGUAGE_NAMES, NotebookLanguage, knownArchive } from "../catalog/course-archives";
import { UserError } from "../errors";
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
   * Largest archive accepted. The lab's archives are a few KB; the workspace import API takes
   * at most 10 MB of content.
   * @default 10485760
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

/** The archive cannot be had, or is not the one wanted. */
export class ArchiveError extends UserError {}

/**
 * Gets the archive the settings describe: a local file (always read, so what the user names is
 * what gets imported), else from the cache by sum, else from the first URL that serves it.
 */
export async function resolveNotebookArchive(
  source: NotebookSource,
  options: ArchiveOptions,
): Promise<NotebookArchive> {
  const log = options.log ?? (() => undefined);
  const archive = await fetchArchive(source, options, log);
  if (options.language) checkArchiveLanguage(archive, options.language);
  return archive;
}

/** Refuses a course archive of another language than the one asked for: its sum tells which it is. */
export function checkArchiveLanguage(
  archive: Pick<NotebookArchive, "sha256" | "origin">,
  language: NotebookLanguage,
): void {
  const known = knownArchive(archive.sha256);
  if (!known || known.language === language) return;
  throw new ArchiveError(
    [
      `LAB_NOTEBOOK_LANGUAGE is ${language}, but the archive (${archive.origin}) is the course's ${LANGUAGE_NAMES[known.language]} "${known.file}" (sha256 ${archive.sha256}); nothing was synthesized or created.`,
      `Fix: set LAB_NOTEBOOK_LANGUAGE=${known.language} to import it, or give the ${LANGUAGE_NAMES[language]} archive (unset LAB_NOTEBOOK_FILE and LAB_NOTEBOOK_URL to download it).`,
    ].join("\n"),
  );
}

async function fetchArchive(
  source: NotebookSource,
  options: ArchiveOptions,
  log: (line: string) => void,
): Promise<NotebookArchive> {
  if (source.kind === "file") {
    if (!existsSync(source.file)) {
      throw new ArchiveError(
        `LAB_NOTEBOOK_FILE ${source.file} does not exist. Fix: point LAB_NOTEBOOK_FILE at the .dbc, or unset it to download the lab's archive.`,
      );
    }
    const bytes = readFileSync(source.file);
    const failure = check(bytes, source.sha256, source.file);
    if (failure) throw new ArchiveError(`LAB_NOTEBOOK_FILE ${source.file} ${failure}`);
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
        maxBytes: options.maxBytes,
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
      failures.push(`${shown}: ${failure}`);
      continue;
    }
    if (!source.sha256) {
      log(
        describeUnpinned(`from ${shown}`, sha256Of(bytes), `set LAB_NOTEBOOK_SHA256 to it instead of "${UNVERIFIED}"`),
      );
    }
    return store(bytes, shown, url, options.cacheDir);
  }
  throw new ArchiveError(
    [
      "Could not get the notebook archive; nothing was synthesized or created.",
      ...failures.map((f) => `  - ${f}`),
      "Fix: check the network and LAB_NOTEBOOK_URL / LAB_NOTEBOOK_SHA256, or download the .dbc by hand and set LAB_NOTEBOOK_FILE to its path.",
    ].join("\n"),
  );
}

/** What to say of an archive taken without a sum: a course archive is known by its sum already. */
export function describeUnpinned(what: string, sha256: string, advice: string): string {
  const known = knownArchive(sha256);
  return known
    ? `Notebook archive ${what} is the course's ${LANGUAGE_NAMES[known.language]} "${known.file}" (sha256 ${sha256}, known to the lab).`
    : `Notebook archive ${what} has sha256 ${sha256}; ${advice}.`;
}

/** Why the bytes are not the archive wanted, or undefined when they are. */
function check(bytes: Buffer, expectedSha256: string | undefined, origin: string): string | undefined {
  if (expectedSha256) {
    const actual = sha256Of(bytes);
    if (actual !== expectedSha256) {
      return `checksum mismatch: expected sha256 ${expectedSha256}, got ${actual} (${bytes.length} bytes).`;
    }
  }
  try {
    inspectDbc(bytes, origin);
  } catch (e) {
    if (e instanceof ArchiveError) return e.message;
    throw e;
  }
  return undefined;
}

/** Reads a `.dbc`: it must be a zip holding at least one Databricks notebook. */
export function inspectDbc(bytes: Uint8Array, origin: string): { folderName: string; notebooks: string[] } {
  const head = Buffer.from(bytes.subarray(0, 64)).toString("utf8").trimStart();
  if (head.startsWith("<")) {
    return fail(
      "is an HTML page, not a .dbc archive (a GitHub 'blob' link serves a web page; the file is under '/raw/').",
    );
  }
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b))
    return fail("is not a .dbc archive: a .dbc is a zip file, and this is not one.");
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    return fail(`is not a readable .dbc archive: the zip is damaged (${(e as Error).message}).`);
  }
  const notebooks = Object.keys(entries)
    .filter((name) => !name.endsWith("/") && isNotebook(entries[name]))
    .sort();
  if (notebooks.length === 0) {
    const names = Object.keys(entries).sort().slice(0, 5);
    return fail(
      `is a zip without Databricks notebooks, so not a .dbc archive (entries: ${names.length ? names.join(", ") : "none"}).`,
    );
  }
  const tops = new Set(notebooks.map((n) => (n.includes("/") ? n.slice(0, n.indexOf("/")) : "")));
  const [top] = tops;
  const folderName = tops.size === 1 && top !== "" ? top : basename(decodeSafely(origin)).replace(/\.dbc$/i, "");
  return { folderName, notebooks };
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

function fail(message: string): never {
  throw new ArchiveError(message);
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
