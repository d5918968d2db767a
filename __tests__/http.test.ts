import { PermanentHttpError, TransientHttpError, fetchWithRetry } from "../lab/net/http";
import { closedPort, startServer } from "./helpers/http-server";

describe("fetchWithRetry tells definite failures from passing ones by the error's fields", () => {
  test.each([
    // 6000 (X11) is on the Fetch standard's list of ports fetch refuses to connect to.
    ["a port fetch refuses", async () => "http://127.0.0.1:6000/x"],
    ["nothing listening", async () => `http://127.0.0.1:${await closedPort()}/x`],
  ])("%s: permanent, no retry", async (_label, url) => {
    const tries: string[] = [];
    const error = await fetchWithRetry(await url(), {
      attempts: 3,
      retryDelayMs: 5_000,
      log: (l) => tries.push(l),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(PermanentHttpError);
    expect(tries).toEqual([]);
  });

  test("a server error is transient and retried", async () => {
    const server = await startServer({}, (_req, res) => res.writeHead(503).end());
    try {
      const tries: string[] = [];
      const error = await fetchWithRetry(`${server.url}/x`, {
        attempts: 2,
        retryDelayMs: 1,
        log: (l) => tries.push(l),
      }).catch((e) => e);
      expect(error).toBeInstanceOf(TransientHttpError);
      expect(tries).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
