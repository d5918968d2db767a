import { IncomingMessage, Server, ServerResponse, createServer } from "node:http";
import { AddressInfo, Socket } from "node:net";

export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Request paths, in order. */
  readonly hits: string[];
  close(): Promise<void>;
}

/** A real HTTP server on loopback, answering by path (query included); other paths go to `fallback`, else 404. */
export async function startServer(routes: Record<string, Handler>, fallback?: Handler): Promise<TestServer> {
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits.push(path);
    const handler = routes[path] ?? fallback;
    if (!handler) {
      res.writeHead(404, "Not Found").end("not found");
      return;
    }
    handler(req, res, hits.filter((h) => h === path).length);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function serve(body: Uint8Array | string, contentType = "application/octet-stream"): Handler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
    res.end(body);
  };
}

export function redirect(to: string, status = 302): Handler {
  return (_req, res) => {
    res.writeHead(status, { location: to }).end();
  };
}

/** A loopback port with nothing listening: connections are refused at once. */
export async function closedPort(): Promise<number> {
  const server = await startServer({});
  const port = Number(new URL(server.url).port);
  await server.close();
  return port;
}
