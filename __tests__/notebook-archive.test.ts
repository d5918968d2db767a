import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  ARCHIVE_CHECKS,
  ArchiveError,
  ArchiveOptions,
  describeUnpinned,
  NotebookArchive,
  inspectDbc,
  resolveNotebookArchive,
} from "../lab/archive/notebook-archive";
import { MAX_ARCHIVE_BYTES } from "../lab/catalog/limits";
import { MAX_LISTED } from "../lab/errors";
import { NotebookSource } from "../lab/settings";
import { makeDbc, makeZip, sha256, tempDir, writeTemp } from "./helpers/dbc";
import { TestServer, closedPort, redirect, serve, startServer } from "./helpers/http-server";

const DBC = makeDbc();
const SUM = sha256(DBC);

let cacheDir: string;
let server: TestServer | undefined;
let logged: string[];

beforeEach(() => {
  cacheDir = join(tempDir("archive-"), "cache");
  logged = [];
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function options(overrides: Partial<ArchiveOptions> = {}): ArchiveOptions {
  return { cacheDir, retryDelayMs: 1, timeoutMs: 2000, log: (l) => logged.push(l), ...overrides };
}

/** `null` stands for LAB_NOTEBOOK_SHA256=unverified. */
function fromUrls(urls: string[], sum: string | null = SUM): NotebookSource {
  return { kind: "download", urls, sha256: sum ?? undefined };
}

async function failure(source: NotebookSource, opts = options()): Promise<ArchiveError> {
  try {
    await resolveNotebookArchive(source, opts);
  } catch (e) {
    if (e instanceof ArchiveError) return e;
    throw e;
  }
  throw new Error("expected an ArchiveError");
}

function trustedFiles(): string[] {
  return existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => f.endsWith(".dbc")) : [];
}

describe("download", () => {
  test("a good archive is verified, inspected and cached under its sum", async () => {
    server = await startServer({ "/lab.dbc": serve(DBC) });
    const archive = await resolveNotebookArchive(fromUrls([`${server.url}/lab.dbc`]), options());
    expect(archive).toEqual<NotebookArchive>({
      file: join(cacheDir, `${SUM}.dbc`),
      sha256: SUM,
      bytes: DBC.length,
      folderName: "06 - Distributed Deep Learning",
      notebooks: ["06 - Distributed Deep Learning/1.0 Distributed Deep Learning with Horovod.python"],
      entries: ["06 - Distributed Deep Learning/1.0 Distributed Deep Learning with Horovod.python"],
      origin: `${server.url}/lab.dbc`,
    });
    expect(readFileSync(archive.file).equals(DBC)).toBe(true);
  });

  test("follows a chain of redirects, as github.com/raw does to raw.githubusercontent.com", async () => {
    server = await startServer({
      "/blob/lab.dbc": redirect("/raw/lab.dbc", 301),
      "/raw/lab.dbc": redirect("/files/lab.dbc", 302),
      "/files/lab.dbc": serve(DBC),
    });
    const archive = await resolveNotebookArchive(fromUrls([`${server.url}/blob/lab.dbc`]), options());
    expect(archive.sha256).toBe(SUM);
    expect(server.hits).toEqual(["/blob/lab.dbc", "/raw/lab.dbc", "/files/lab.dbc"]);
  });

  test("a 404 fails at once, without retries, with a clear message", async () => {
    server = await startServer({});
    const error = await failure(fromUrls([`${server.url}/gone.dbc`]));
    expect(error.message).toMatch(/^The notebook archive could not be had from any address:\n/);
    expect(error.message).toContain(`${server.url}/gone.dbc: HTTP 404 Not Found: no file at this address.`);
    expect(error.message).toMatch(/Fix: .*set LAB_NOTEBOOK_FILE to its path\./);
    expect(server.hits).toEqual(["/gone.dbc"]);
  });

  test("a 500 is retried and the next answer wins", async () => {
    server = await startServer({
      "/lab.dbc": (req, res, hit) =>
        hit === 1 ? res.writeHead(500, "Internal Server Error").end() : serve(DBC)(req, res, hit),
    });
    const archive = await resolveNotebookArchive(fromUrls([`${server.url}/lab.dbc`]), options());
    expect(archive.sha256).toBe(SUM);
    expect(server.hits).toEqual(["/lab.dbc", "/lab.dbc"]);
    expect(logged[0]).toMatch(/failed \(HTTP 500 Internal Server Error\); retry 1 of 2/);
  });

  test("gives up after the configured attempts", async () => {
    server = await startServer({ "/lab.dbc": (_req, res) => res.writeHead(503, "Service Unavailable").end() });
    const error = await failure(fromUrls([`${server.url}/lab.dbc`]), options({ attempts: 3 }));
    expect(error.message).toContain("HTTP 503 Service Unavailable");
    expect(server.hits).toHaveLength(3);
  });

  test("a wrong checksum shows the expected and the actual sum", async () => {
    const other = makeDbc("Other folder");
    server = await startServer({ "/lab.dbc": serve(other) });
    const error = await failure(fromUrls([`${server.url}/lab.dbc`]));
    expect(error.message).toContain(
      `has the wrong checksum: expected sha256 ${SUM}, got ${sha256(other)} (${other.length} bytes).`,
    );
    expect(trustedFiles()).toEqual([]);
  });

  test("a file that is not a zip is refused", async () => {
    const bytes = Buffer.from("just some text");
    server = await startServer({ "/lab.dbc": serve(bytes) });
    const error = await failure(fromUrls([`${server.url}/lab.dbc`], sha256(bytes)));
    expect(error.message).toContain("is not a .dbc archive: a .dbc is a zip file, and this is not one.");
  });

  test("an HTML page (a GitHub blob link) is recognised as such", async () => {
    const page = "<!DOCTYPE html><html><body>GitHub</body></html>";
    server = await startServer({ "/blob/lab.dbc": serve(page, "text/html") });
    const error = await failure(fromUrls([`${server.url}/blob/lab.dbc`], null));
    expect(error.message).toContain(
      "is an HTML page, not a .dbc archive (a GitHub 'blob' link serves a web page; the file is under '/raw/').",
    );
  });

  test("a zip without notebooks is refused and its entries are named", async () => {
    const zip = makeZip({ "readme.txt": "hello", "data/points.csv": "1,2" });
    server = await startServer({ "/lab.dbc": serve(zip) });
    const error = await failure(fromUrls([`${server.url}/lab.dbc`], sha256(zip)));
    expect(error.message).toContain(
      "is a zip without Databricks notebooks, so not a .dbc archive (entries: data/points.csv, readme.txt).",
    );
    expect(trustedFiles()).toEqual([]);
  });

  test("falls back to the next URL when the first is gone, and names every attempt on failure", async () => {
    server = await startServer({ "/master/lab.dbc": serve(DBC) });
    const archive = await resolveNotebookArchive(
      fromUrls([`${server.url}/lab-branch/lab.dbc`, `${server.url}/master/lab.dbc`]),
      options(),
    );
    expect(archive.origin).toBe(`${server.url}/master/lab.dbc`);

    const error = await failure(fromUrls([`${server.url}/a.dbc`, `${server.url}/b.dbc`], "0".repeat(64)));
    expect(error.message).toContain(`${server.url}/a.dbc: HTTP 404`);
    expect(error.message).toContain(`${server.url}/b.dbc: HTTP 404`);
  });

  test("a host that does not answer is not asked again for the next URL, and query strings stay out of messages", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const error = await failure(fromUrls([`${dead}/a.dbc?sig=SECRETSIGNATURE`, `${dead}/b.dbc`]));
    expect(error.message).toContain(`${dead}/a.dbc?…: fetch failed: ECONNREFUSED`);
    expect(error.message).toContain(`${dead}/b.dbc: skipped, 127.0.0.1:${new URL(dead).port} did not answer before.`);
    expect(error.message).not.toContain("SECRETSIGNATURE");
  });

  test("a server that never answers times out", async () => {
    server = await startServer({ "/slow.dbc": () => undefined });
    const error = await failure(fromUrls([`${server.url}/slow.dbc`]), options({ timeoutMs: 200, attempts: 2 }));
    expect(error.message).toContain("no complete answer within 200 ms");
    expect(server.hits).toHaveLength(2);
  });

  test("with 'unverified', the archive is still inspected and its sum is printed to pin it", async () => {
    server = await startServer({ "/lab.dbc": serve(DBC) });
    const archive = await resolveNotebookArchive(fromUrls([`${server.url}/lab.dbc`], null), options());
    expect(archive.sha256).toBe(SUM);
    expect(logged).toContain(
      `Notebook archive from ${server.url}/lab.dbc has sha256 ${SUM}; set LAB_NOTEBOOK_SHA256 to it instead of "unverified".`,
    );
  });
});

describe("cache", () => {
  test("a cached archive is used with the server stopped", async () => {
    server = await startServer({ "/lab.dbc": serve(DBC) });
    const url = `${server.url}/lab.dbc`;
    await resolveNotebookArchive(fromUrls([url]), options());
    await server.close();
    server = undefined;

    const archive = await resolveNotebookArchive(fromUrls([url]), options());
    expect(archive.origin).toBe("cache");
    expect(archive.folderName).toBe("06 - Distributed Deep Learning");
  });

  test("an interrupted download leaves no file a later run would trust", async () => {
    server = await startServer({
      "/lab.dbc": (_req, res) => {
        res.writeHead(200, { "content-length": DBC.length });
        res.write(DBC.subarray(0, 100));
        setTimeout(() => res.socket?.destroy(), 20);
      },
    });
    const error = await failure(fromUrls([`${server.url}/lab.dbc`]));
    expect(error.message).toMatch(/the download was interrupted after 100 bytes/);
    expect(trustedFiles()).toEqual([]);
    expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
  });

  test("a damaged file under a trusted name is detected and replaced by a fresh download", async () => {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, `${SUM}.dbc`), DBC.subarray(0, 50));
    writeFileSync(join(cacheDir, `.${SUM}.123.abcd.tmp`), DBC.subarray(0, 50));
    server = await startServer({ "/lab.dbc": serve(DBC) });
    const archive = await resolveNotebookArchive(fromUrls([`${server.url}/lab.dbc`]), options());
    expect(archive.origin).toBe(`${server.url}/lab.dbc`);
    expect(readFileSync(join(cacheDir, `${SUM}.dbc`)).equals(DBC)).toBe(true);
  });
});

describe("LAB_NOTEBOOK_FILE", () => {
  test("a local archive is checked like a download and copied into the cache under its sum", async () => {
    const file = writeTemp("my lab.dbc", DBC);
    const archive = await resolveNotebookArchive({ kind: "file", file, sha256: SUM }, options());
    expect(archive).toMatchObject({
      file: join(cacheDir, `${SUM}.dbc`),
      origin: file,
      folderName: "06 - Distributed Deep Learning",
    });
  });

  test("without a sum it is accepted and its sum printed", async () => {
    const file = writeTemp("lab.dbc", DBC);
    await resolveNotebookArchive({ kind: "file", file }, options());
    expect(logged).toEqual([`Notebook archive ${file} has sha256 ${SUM}; set LAB_NOTEBOOK_SHA256 to pin it.`]);
  });

  test("the file named is what gets imported: a damaged file fails even when the cache holds its sum", async () => {
    const file = writeTemp("lab.dbc", DBC);
    await resolveNotebookArchive({ kind: "file", file, sha256: SUM }, options());
    writeFileSync(file, "damaged");
    await expect(resolveNotebookArchive({ kind: "file", file, sha256: SUM }, options())).rejects.toThrow(
      `LAB_NOTEBOOK_FILE ${file} has the wrong checksum: expected sha256 ${SUM}`,
    );
  });

  test("a missing file is an error, cached copy or not", async () => {
    const file = writeTemp("lab.dbc", DBC);
    await resolveNotebookArchive({ kind: "file", file, sha256: SUM }, options());
    await expect(
      resolveNotebookArchive({ kind: "file", file: `${file}.deleted`, sha256: SUM }, options()),
    ).rejects.toThrow(
      `LAB_NOTEBOOK_FILE ${file}.deleted does not exist. Nothing was synthesized or created.\nFix: point LAB_NOTEBOOK_FILE at the .dbc`,
    );
  });

  test("a wrong sum or a file that is not a DBC is refused", async () => {
    const file = writeTemp("lab.dbc", DBC);
    await expect(resolveNotebookArchive({ kind: "file", file, sha256: "f".repeat(64) }, options())).rejects.toThrow(
      `LAB_NOTEBOOK_FILE ${file} has the wrong checksum: expected sha256 ${"f".repeat(64)}, got ${SUM}`,
    );
    const text = writeTemp("notes.dbc", "not a zip");
    await expect(resolveNotebookArchive({ kind: "file", file: text }, options())).rejects.toThrow(
      /is not a \.dbc archive/,
    );
  });
});

describe("inspectDbc", () => {
  test("notebooks at the archive root take the folder name from the file name", () => {
    const zip = makeZip({ "intro.python": JSON.stringify({ version: "NotebookV1", commands: [] }) });
    expect(inspectDbc(zip, "https://example.org/path/05%20-%20Hyperparameter%20Tuning.dbc")).toEqual({
      folderName: "05 - Hyperparameter Tuning",
      notebooks: ["intro.python"],
      entries: ["intro.python"],
    });
  });

  test("a manifest and other files are not counted as notebooks", () => {
    const zip = makeZip({
      "Lab/manifest.mf": "Manifest-Version: 1.0",
      "Lab/a.python": JSON.stringify({ version: "NotebookV1", commands: [] }),
      "Lab/b.scala": JSON.stringify({ version: "NotebookV1", commands: [] }),
    });
    expect(inspectDbc(zip, "x.dbc")).toEqual({
      folderName: "Lab",
      notebooks: ["Lab/a.python", "Lab/b.scala"],
      entries: ["Lab/a.python", "Lab/b.scala", "Lab/manifest.mf"],
    });
  });
});

describe("the course's archives, known by their sums", () => {
  const EN_06 = "e7d0735b4e1b8fcf83dd6272b2c8f1ea06a3a19ac1977478b1fdd8baa1eae0f5";
  const JA_06 = "8a3cde2346abc083c32d49887433b8b470ac96bd16535a0351f66a1dc3e438d8";

  const EN_05 = "331188012e63de51dc7c7d297d86514a567ede758478880b6e724c7bfd53d96d";
  const check = (name: string) => ARCHIVE_CHECKS.find((c) => c.name === name)!;
  const archiveOf = (sha: string, over: Partial<NotebookArchive> = {}): NotebookArchive => ({
    file: "/cache/x.dbc",
    sha256: sha,
    bytes: 1000,
    folderName: "Lab",
    notebooks: ["Lab/a.python"],
    entries: ["Lab/a.python"],
    origin: "/tmp/lab.dbc",
    ...over,
  });

  test("an archive of the other language is refused, naming both and the fix", () => {
    expect(check("course archive of the language asked for").check(archiveOf(EN_06), { language: "ja" })).toEqual({
      problem: `is the course's English "06 - Distributed Deep Learning.dbc" (sha256 ${EN_06}), but LAB_NOTEBOOK_LANGUAGE is ja.`,
      fix: "set LAB_NOTEBOOK_LANGUAGE=en to import it, or give the Japanese archive (unset LAB_NOTEBOOK_FILE and LAB_NOTEBOOK_URL to download it).",
    });
    expect(
      check("course archive of the language asked for").check(archiveOf(JA_06), { language: "en" })?.problem,
    ).toMatch(/the course's Japanese "06 - /);
  });

  test("an archive of the language asked for, or one the lab does not know, passes", () => {
    const language = check("course archive of the language asked for");
    expect(language.check(archiveOf(JA_06), { language: "ja" })).toBeUndefined();
    expect(language.check(archiveOf(SUM), { language: "ja" })).toBeUndefined();
  });

  test("another module of the course is refused unless its sum was asked for, naming both", () => {
    const module = check("course archive of the lab's module, unless another was asked for");
    expect(module.check(archiveOf(EN_05), {})).toEqual({
      problem: `is the course's "05 - Hyperparameter Tuning.dbc" (sha256 ${EN_05}), another module than the lab's "06 - Distributed Deep Learning.dbc".`,
      fix: `give the lab's archive (unset LAB_NOTEBOOK_FILE and LAB_NOTEBOOK_URL to download it), or import that module on purpose with LAB_NOTEBOOK_SHA256=${EN_05}.`,
    });
    expect(module.check(archiveOf(EN_05), { sha256: EN_05 })).toBeUndefined();
    expect(module.check(archiveOf(EN_06), {})).toBeUndefined();
    expect(module.check(archiveOf(SUM), {})).toBeUndefined();
  });

  test("a known archive taken without a sum is named, not given the advice to pin its sum", () => {
    expect(describeUnpinned("/tmp/x.dbc", JA_06, "set LAB_NOTEBOOK_SHA256 to pin it")).toBe(
      `Notebook archive /tmp/x.dbc is the course's Japanese "06 - Distributed Deep Learning.dbc" (sha256 ${JA_06}, known to the lab).`,
    );
    expect(describeUnpinned("/tmp/x.dbc", SUM, "set LAB_NOTEBOOK_SHA256 to pin it")).toBe(
      `Notebook archive /tmp/x.dbc has sha256 ${SUM}; set LAB_NOTEBOOK_SHA256 to pin it.`,
    );
  });
});

describe("what an archive may hold", () => {
  const entries = check("entries stay inside the archive's folder");
  function check(name: string) {
    return ARCHIVE_CHECKS.find((c) => c.name === name)!;
  }
  const archiveWith = (names: string[], folderName = "Lab"): NotebookArchive => ({
    file: "/cache/x.dbc",
    sha256: SUM,
    bytes: 1000,
    folderName,
    notebooks: names,
    entries: names,
    origin: "/tmp/lab.dbc",
  });

  test.each([
    ["../x.python"],
    ["Lab/../../x.python"],
    ["/etc/x.python"],
    ["Lab\\x.python"],
    ["Lab//x.python"],
    ["Lab/./x.python"],
    ["C:/x.python"],
    ["Lab/x\u0000.python"],
  ])("an entry named %j is refused", (name) => {
    expect(entries.check(archiveWith(["Lab/a.python", name]), {})?.problem).toBe(
      `has entries whose names would leave the folder it is imported into (${JSON.stringify(name)}); every entry must be a relative path of plain names, without "..", ".", empty parts, a leading "/" or backslashes.`,
    );
  });

  test.each(["..", ".", ""])("a folder name %j (from the file's name) is refused", (folderName) => {
    expect(entries.check(archiveWith(["a.python"], folderName), {})?.problem).toContain(
      `its folder name ${JSON.stringify(folderName)}`,
    );
  });

  test("plain names pass, folders included", () => {
    expect(entries.check(archiveWith(["Lab/", "Lab/1.0 Intro.python", "Lab/sub/b.scala"]), {})).toBeUndefined();
  });

  test(`a thousand bad entries are listed up to ${MAX_LISTED}, the rest counted`, () => {
    const names = Array.from({ length: 1000 }, (_, i) => `../${i}.python`);
    const problem = entries.check(archiveWith(names), {})!.problem;
    expect(problem).toContain(`"../${MAX_LISTED - 1}.python" and ${1000 - MAX_LISTED} more)`);
    expect(problem).not.toContain(`"../${MAX_LISTED}.python"`);
  });

  test("an archive whose only entry is ../x.python is refused by resolveNotebookArchive, with its fix", async () => {
    const file = writeTemp(
      "evil.dbc",
      makeZip({ "../x.python": JSON.stringify({ version: "NotebookV1", commands: [] }) }),
    );
    const error = await failure({ kind: "file", file });
    expect(error.message).toBe(
      `The notebook archive (${file}) has entries whose names would leave the folder it is imported into (its folder name "..", "../x.python"); every entry must be a relative path of plain names, without "..", ".", empty parts, a leading "/" or backslashes. Nothing was synthesized or created.\nFix: use the course's archive (unset LAB_NOTEBOOK_FILE and LAB_NOTEBOOK_URL to download it), or export the folder again from a workspace (File > Export > DBC Archive).`,
    );
  });

  test(`a local archive over ${MAX_ARCHIVE_BYTES} bytes is refused before it is read, saying the limit`, async () => {
    const file = writeTemp("big.dbc", Buffer.alloc(MAX_ARCHIVE_BYTES + 1));
    const error = await failure({ kind: "file", file });
    expect(error.message).toBe(
      `LAB_NOTEBOOK_FILE ${file} is ${MAX_ARCHIVE_BYTES + 1} bytes; the workspace import API takes an archive of at most ${MAX_ARCHIVE_BYTES} bytes (10 MB once base64-encoded). Nothing was synthesized or created.\nFix: import a smaller archive (the course's are a few KB): export only the folder the lab needs.`,
    );
  });

  test("the size check of the table refuses one byte over the limit and passes the limit", () => {
    const size = check("size within the workspace import limit");
    expect(size.check({ ...archiveWith(["Lab/a.python"]), bytes: MAX_ARCHIVE_BYTES }, {})).toBeUndefined();
    expect(size.check({ ...archiveWith(["Lab/a.python"]), bytes: MAX_ARCHIVE_BYTES + 1 }, {})?.problem).toContain(
      `at most ${MAX_ARCHIVE_BYTES} bytes`,
    );
  });

  test("downloads are capped at the same limit", async () => {
    server = await startServer({ "/big.dbc": serve(Buffer.alloc(MAX_ARCHIVE_BYTES + 1)) });
    const error = await failure(fromUrls([`${server.url}/big.dbc`], null));
    expect(error.message).toContain(`more than the ${MAX_ARCHIVE_BYTES} allowed`);
  });

  test.each([
    ["not a zip", "not a zip", "is not a .dbc archive: a .dbc is a zip file, and this is not one."],
    ["damaged", "PK\u0003\u0004damaged", "is not a readable .dbc archive: the zip is damaged"],
    ["without notebooks", makeZip({ "a.txt": "hello" }), "is a zip without Databricks notebooks"],
    ["an HTML page", "<!DOCTYPE html><html>", "is an HTML page, not a .dbc archive"],
  ])("a local file that is %s gets the problem and a fix line", async (_, bytes, problem) => {
    const file = writeTemp("x.dbc", bytes);
    const error = await failure({ kind: "file", file });
    expect(error.message).toContain(`LAB_NOTEBOOK_FILE ${file} ${problem}`);
    expect(error.message).toMatch(/\nFix: \S/);
    expect(error.problems).toHaveLength(1);
  });
});

describe("resolveNotebookArchive runs every check of the table", () => {
  afterEach(() => jest.restoreAllMocks());

  test.each(ARCHIVE_CHECKS.map((c) => [c.name, c] as const))("%s", async (_, archiveCheck) => {
    const spy = jest.spyOn(archiveCheck, "check").mockReturnValue({ problem: "is refused by the spy.", fix: "none." });
    const file = writeTemp("lab.dbc", DBC);
    const error = await failure({ kind: "file", file, sha256: SUM }, options({ language: "ja" }));
    expect(spy).toHaveBeenCalledWith(expect.objectContaining({ sha256: SUM, origin: file }), {
      language: "ja",
      sha256: SUM,
    });
    expect(error.problems).toContainEqual({ problem: "is refused by the spy.", fix: "none." });
  });
});
