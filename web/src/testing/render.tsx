import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { vi } from "vitest";
import { Router } from "wouter";
import { memoryLocation } from "wouter/memory-location";

/** Renders with a fresh query cache and an in-memory location (no real navigation in jsdom). */
export function renderPage(element: ReactElement, path = "/") {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const location = memoryLocation({ path, record: true });
  const result = render(
    <QueryClientProvider client={queryClient}>
      <Router hook={location.hook}>{element}</Router>
    </QueryClientProvider>,
  );
  return { ...result, location };
}

export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/**
 * The API as a table of answers, keyed "METHOD /path", standing in for the server at the
 * browser's fetch (the server's own tests cover the server). Records what the page sent.
 */
export function answerFetch(answers: Readonly<Record<string, { status: number; body?: unknown }>>): Exchange[] {
  const sent: Exchange[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? "GET";
      const path = new URL(url, "http://page.test").pathname;
      sent.push({ method, path, body: init?.body === undefined ? undefined : JSON.parse(String(init.body)) });
      const answer = answers[`${method} ${path}`];
      if (answer === undefined) return new Response(JSON.stringify({ detail: `no answer for ${method} ${path}`, code: "not_found", errors: [] }), { status: 404 });
      return new Response(answer.status === 204 ? null : JSON.stringify(answer.body ?? {}), { status: answer.status, headers: { "content-type": "application/json" } });
    }),
  );
  return sent;
}
