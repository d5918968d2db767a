import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  ArchiveError,
  ArchiveOptions,
  checkArchiveLanguage,
  describeUnpinned,
  NotebookArchive,
  inspectDbc,
  resolveNotebookArchive,
} from "../lab/archive/notebook-archive";
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
    expect(error.message).toMatch(/^Could not get the notebook archive; nothing was synthesized or created\./);
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
      `checksum mismatch: expected sha256 ${SUM}, got ${sha256(other)} (${other.length} bytes).`,
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
      `LAB_NOTEBOOK_FILE ${file} checksum mismatch: expected sha256 ${SUM}`,
    );
  });

  test("a missing file is an error, cached copy or not", async () => {
    const file = writeTemp("lab.dbc", DBC);
    await resolveNotebookArchive({ kind: "file", file, sha256: SUM }, options());
    await expect(
      resolveNotebookArchive({ kind: "file", file: `${file}.deleted`, sha256: SUM }, options()),
    ).rejects.toThrow(`LAB_NOTEBOOK_FILE ${file}.deleted does not exist. Fix: point LAB_NOTEBOOK_FILE at the .dbc`);
  });

  test("a wrong sum or a file that is not a DBC is refused", async () => {
    const file = writeTemp("lab.dbc", DBC);
    await expect(resolveNotebookArchive({ kind: "file", file, sha256: "f".repeat(64) }, options())).rejects.toThrow(
      `LAB_NOTEBOOK_FILE ${file} checksum mismatch: expected sha256 ${"f".repeat(64)}, got ${SUM}`,
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
    });
  });

  test("a manifest and other files are not counted as notebooks", () => {
    const zip = makeZip({
      "Lab/manifest.mf": "Manifest-Version: 1.0",
      "Lab/a.python": JSON.stringify({ version: "NotebookV1", commands: [] }),
      "Lab/b.scala": JSON.stringify({ version: "NotebookV1", commands: [] }),
    });
    expect(inspectDbc(zip, "x.dbc")).toEqual({ folderName: "Lab", notebooks: ["Lab/a.python", "Lab/b.scala"] });
  });
});

describe("the course's archives, known by their sums", () => {
  const EN_06 = "e7d0735b4e1b8fcf83dd6272b2c8f1ea06a3a19ac1977478b1fdd8baa1eae0f5";
  const JA_06 = "8a3cde2346abc083c32d49887433b8b470ac96bd16535a0351f66a1dc3e438d8";

  test("an archive of the other language is refused, naming both and the fix", () => {
    expect(() => checkArchiveLanguage({ sha256: EN_06, origin: "/tmp/lab.dbc" }, "ja")).toThrow(
      new ArchiveError(
        `LAB_NOTEBOOK_LANGUAGE is ja, but the archive (/tmp/lab.dbc) is the course's English "06 - Distributed Deep Learning.dbc" (sha256 ${EN_06}); nothing was synthesized or created.\nFix: set LAB_NOTEBOOK_LANGUAGE=en to import it, or give the Japanese archive (unset LAB_NOTEBOOK_FILE and LAB_NOTEBOOK_URL to download it).`,
      ),
    );
    expect(() => checkArchiveLanguage({ sha256: JA_06, origin: "cache" }, "en")).toThrow(
      /the course's Japanese "06 - /,
    );
  });

  test("an archive of the language asked for, or one the lab does not know, passes", () => {
    expect(() => checkArchiveLanguage({ sha256: JA_06, origin: "cache" }, "ja")).not.toThrow();
    expect(() => checkArchiveLanguage({ sha256: SUM, origin: "cache" }, "ja")).not.toThrow();
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
