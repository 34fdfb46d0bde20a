import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".ico": "image/x-icon",
  ".png": "image/png",
};

export interface StaticSite {
  /** e.g. `http://127.0.0.1:40123` */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * A plain static host for a built page, as Vercel or any CDN serves it: the files of `root`, and
 * index.html for every other path (a single-page app's routes). No API behind it: the page must
 * call the API's own host (VITE_API_BASE_URL).
 */
export async function serveStaticSite(root: string): Promise<StaticSite> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://site").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(root, path);
    const found = file.startsWith(root) && existsSync(file) && statSync(file).isFile() ? file : join(root, "index.html");
    response.writeHead(200, { "content-type": TYPES[extname(found)] ?? "application/octet-stream" }).end(readFileSync(found));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
