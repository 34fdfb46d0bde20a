import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { responsesAnswer } from "./model-provider-test-server.js";

/**
 * A local server speaking the OpenAI chat-completions protocol (and its Responses API), for tests of anything that talks
 * to a language model (steps 2 and 4). It records what it received and answers as told.
 */
export interface ChatCompletionsTestServer {
  /** The API root to configure, e.g. `http://127.0.0.1:40123/v1` (no trailing slash). */
  readonly baseUrl: URL;
  readonly requests: readonly RecordedChatRequest[];
  close(): Promise<void>;
}

export interface RecordedChatRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  readonly body: unknown;
}

export type ChatServerReply =
  /** A well-formed completion whose first choice carries this message content. */
  | { readonly content: string }
  /** Any status and raw body, e.g. a 500 or a body that is not a completion. */
  | { readonly status: number; readonly rawBody: string }
  /** Accept the request and never answer (timeout tests). */
  | { readonly hang: true };

export async function startChatCompletionsServer(
  reply: (request: RecordedChatRequest) => ChatServerReply,
): Promise<ChatCompletionsTestServer> {
  const requests: RecordedChatRequest[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded = record(req.method ?? "", req.url ?? "", req.headers, Buffer.concat(chunks).toString("utf8"));
      requests.push(recorded);
      const route = ROUTES[recorded.path];
      if (route === undefined || recorded.method !== "POST") {
        send(res, 404, JSON.stringify({ error: { message: `no route ${recorded.method} ${recorded.path}` } }));
        return;
      }
      answer(res, reply(recorded), hanging, route);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: new URL(`http://127.0.0.1:${port}/v1`),
    requests,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function record(method: string, path: string, headers: IncomingHttpHeaders, text: string): RecordedChatRequest {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // kept as text so a test can see what was sent
  }
  return { method, path, headers, body };
}

/** Chat completions, and OpenAI's Responses API (what the SDK's OpenAI provider calls with a user's own key). */
const ROUTES: Record<string, (content: string) => object> = {
  "/v1/chat/completions": completion,
  "/v1/responses": responsesAnswer,
};

function answer(res: ServerResponse, reply: ChatServerReply, hanging: ServerResponse[], route: (content: string) => object): void {
  if ("hang" in reply) {
    hanging.push(res);
    return;
  }
  if ("rawBody" in reply) {
    send(res, reply.status, reply.rawBody);
    return;
  }
  send(res, 200, JSON.stringify(route(reply.content)));
}

function completion(content: string): object {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "test-model",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(body);
}
