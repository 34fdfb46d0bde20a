import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { HostResolver } from "../net/host-resolver.js";

export type PageHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** A local web site for tests of website fetching and analysis: fixed routes, hits recorded. */
export interface TestPageServer {
  /** e.g. `http://127.0.0.1:40123` */
  readonly origin: string;
  readonly port: number;
  readonly hits: readonly string[];
  close(): Promise<void>;
}

export async function startPageServer(routes: Readonly<Record<string, PageHandler>>): Promise<TestPageServer> {
  const hits: string[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits.push(path);
    open.add(res);
    res.on("close", () => open.delete(res));
    const handler = routes[path];
    if (handler === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function htmlPage(html: string, contentType = "text/html; charset=utf-8"): PageHandler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": contentType }).end(html);
  };
}

export function redirectTo(location: string, status = 302): PageHandler {
  return (_req, res) => {
    res.writeHead(status, { location }).end();
  };
}

/** Takes the request and never answers. */
export const neverAnswer: PageHandler = () => undefined;

/**
 * A resolver for names of our own that no real DNS answers (`*.test`), recording each question:
 * a fetch through them only works if every socket uses the address that was vetted.
 */
export function resolverFor(names: Readonly<Record<string, readonly string[]>>, asked: string[] = []): HostResolver {
  return async (hostname) => {
    asked.push(hostname);
    const addresses = names[hostname];
    if (addresses === undefined) throw new Error(`unknown test host ${hostname}`);
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}
