import { Agent, request } from "undici";
import { PinnedAddresses } from "./pinned-lookup.js";
import { discardBody, readHtmlBody, type HtmlResponse } from "./read-html-body.js";
import type { HostResolver } from "../../../net/host-resolver.js";
import { parseWebsiteUrl, vetWebsiteUrl } from "./vet-website-url.js";
import { WebsiteFetchFailed, WebsiteFetchRefused } from "./website-fetch-errors.js";

export interface SafeFetchOptions {
  /** True only in tests (`WEBSITE_FETCH_ALLOW_PRIVATE`): loopback and private addresses become fetchable. */
  readonly allowPrivate: boolean;
  /** For the whole fetch, redirects included. */
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly maxRedirects?: number;
  readonly resolve?: HostResolver;
}

export interface FetchedPage {
  /** Where the page was finally read, after any redirects. */
  readonly url: string;
  readonly redirects: readonly string[];
  readonly html: string;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 3;

/** undici's own timers, set as a backstop to the deadline, report these codes. */
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const REQUEST_HEADERS = {
  "user-agent": "onboarding-service-website-analysis/0.1",
  accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
  "accept-encoding": "gzip, deflate, br",
};

/**
 * Fetches one HTML page on a user's behalf (SPEC §6). Every hop, redirects included, is parsed,
 * resolved and vetted before it is requested, and its socket connects only to the vetted address.
 * Throws WebsiteFetchRefused for a URL that is not allowed, WebsiteFetchFailed for everything else.
 */
export async function safeFetch(rawUrl: string, options: SafeFetchOptions): Promise<FetchedPage> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const pins = new PinnedAddresses();
  const agent = new Agent({ connect: { lookup: pins.lookup }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  let url = parseWebsiteUrl(rawUrl);
  try {
    const redirects: string[] = [];
    for (;;) {
      const target = await beforeDeadline(vetWebsiteUrl(url, options.allowPrivate, options.resolve), deadline);
      pins.pin(target.host, target.addresses);
      const response = await request(url, { method: "GET", headers: REQUEST_HEADERS, dispatcher: agent, signal: deadline });
      const next = redirectTarget(response, url);
      if (next === null) return { url: url.href, redirects, html: await readPage(response, url, options) };
      await response.body.dump();
      if (redirects.length >= (options.maxRedirects ?? DEFAULT_MAX_REDIRECTS)) throw tooManyRedirects(rawUrl, redirects.length + 1);
      url = next;
      redirects.push(url.href);
    }
  } catch (error) {
    throw explained(error, url, deadline, timeoutMs);
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}

/** DNS lookups cannot be cancelled, so the deadline is raced against them instead. */
async function beforeDeadline<T>(work: Promise<T>, deadline: AbortSignal): Promise<T> {
  deadline.throwIfAborted();
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(deadline.reason);
    deadline.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    deadline.removeEventListener("abort", onAbort);
  }
}

/** The next URL to fetch, or null when this answer is the page itself. */
function redirectTarget(response: HtmlResponse, current: URL): URL | null {
  if (!REDIRECT_STATUSES.has(response.statusCode)) return null;
  const location = response.headers.location;
  const value = Array.isArray(location) ? location[0] : location;
  if (value === undefined || value === "") {
    throw new WebsiteFetchFailed("status", `${current.href} answered HTTP ${response.statusCode} without a location`);
  }
  return parseWebsiteUrl(value, current);
}

async function readPage(response: HtmlResponse, url: URL, options: SafeFetchOptions): Promise<string> {
  if (response.statusCode < 200 || response.statusCode > 299) {
    discardBody(response.body);
    throw new WebsiteFetchFailed("status", `${url.href} answered HTTP ${response.statusCode}`);
  }
  return readHtmlBody(response, url.href, options.maxBytes ?? DEFAULT_MAX_BYTES);
}

function tooManyRedirects(rawUrl: string, count: number): WebsiteFetchFailed {
  return new WebsiteFetchFailed("too_many_redirects", `${rawUrl} redirected more than ${count - 1} times`);
}

/**
 * Our own errors pass through; anything else becomes a timeout or a network failure that names
 * the host and, at most, a stable error code: raw messages can carry resolved addresses.
 */
function explained(error: unknown, url: URL, deadline: AbortSignal, timeoutMs: number): Error {
  if (error instanceof WebsiteFetchRefused) return error;
  if (error instanceof WebsiteFetchFailed && error.kind !== "network") return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (deadline.aborted || TIMEOUT_CODES.has(String(code))) {
    return new WebsiteFetchFailed("timeout", `${url.host} did not answer within ${timeoutMs} ms`);
  }
  if (error instanceof WebsiteFetchFailed) return error;
  const detail = typeof code === "string" && /^[A-Z0-9_]+$/.test(code) ? ` (${code})` : "";
  return new WebsiteFetchFailed("network", `could not read ${url.href}${detail}`);
}
