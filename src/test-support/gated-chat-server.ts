import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface GatedChatServer {
  readonly baseUrl: string;
  received(n: number): Promise<void>;
  count(): number;
  release(): void;
  close(): Promise<void>;
}

/** A chat-completions server that holds every answer until released, so a generation is surely still running. */
export async function startGatedChatServer(): Promise<GatedChatServer> {
  const held: ServerResponse[] = [];
  let released = false;
  let count = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const answer = (res: ServerResponse) => {
    const content = JSON.stringify({ corePersona: { summary: "enriched by the model" } });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "c", object: "chat.completion", created: 1, model: "test", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }] }));
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      count += 1;
      for (const waiter of waiters.filter((w) => w.n <= count)) waiter.resolve();
      if (released) answer(res);
      else held.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    received: (n) => (n <= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    count: () => count,
    release: () => {
      released = true;
      for (const res of held.splice(0)) answer(res);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
