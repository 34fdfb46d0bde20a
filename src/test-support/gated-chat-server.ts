import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { responsesAnswer } from "./model-provider-test-server.js";

export interface GatedChatServer {
  readonly baseUrl: string;
  received(n: number): Promise<void>;
  count(): number;
  release(): void;
  close(): Promise<void>;
}

/** A chat-completions (and Responses API) server that holds every answer until released, so a generation is surely still running. */
export async function startGatedChatServer(): Promise<GatedChatServer> {
  let released = false;
  let count = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const held: { res: ServerResponse; path: string }[] = [];
  const answer = ({ res, path }: { res: ServerResponse; path: string }) => {
    const content = JSON.stringify({ corePersona: { summary: "enriched by the model" } });
    res.writeHead(200, { "content-type": "application/json" });
    // A user's own OpenAI key goes to the Responses API; the server's LLM_* to chat completions.
    if (path.endsWith("/responses")) return void res.end(JSON.stringify(responsesAnswer(content)));
    res.end(JSON.stringify({ id: "c", object: "chat.completion", created: 1, model: "test", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }] }));
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      count += 1;
      for (const waiter of waiters.filter((w) => w.n <= count)) waiter.resolve();
      const call = { res, path: req.url ?? "" };
      if (released) answer(call);
      else held.push(call);
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
      for (const call of held.splice(0)) answer(call);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
