import type { ChatClient, LlmSource } from "../../../llm/chat-client.js";
import type { JsonObject } from "../../../onboarding/onboarding-record.js";
import { emptyAnalysisFields, type AnalysisFields } from "./analysis-fields.js";
import { deterministicAnalysis } from "./deterministic-analysis.js";
import { extractPage, type ExtractedPage } from "./extract-page.js";
import { enrichWithLlm } from "./llm-enrichment.js";
import { metricsOf } from "./page-metrics.js";
import { safeFetch, type FetchedPage } from "./safe-fetch.js";
import type { HostResolver } from "../../../net/host-resolver.js";
import { WebsiteFetchFailed, type WebsiteFetchFailureKind } from "./website-fetch-errors.js";

export interface AnalyzeWebsiteOptions {
  /** WEBSITE_FETCH_ALLOW_PRIVATE: true only in tests. */
  readonly allowPrivate: boolean;
  /** A model to enrich the nine fields; without one the analysis is deterministic only. */
  readonly chat?: ChatClient;
  readonly fetchTimeoutMs?: number;
  readonly maxBytes?: number;
  /** Caps the model's answer time; the client's own default otherwise. */
  readonly llmTimeoutMs?: number;
  /** Told why enrichment fell back (never the key); the answer itself only carries a generic warning. */
  readonly onLlmFailure?: (reason: string) => void;
  /** Told exactly why the page could not be read (its URL, status, code), for the log; the answer says it in plain words. */
  readonly onPageFailure?: (reason: string) => void;
  readonly resolve?: HostResolver;
}

/** The answer of POST /website/analyze and the `analysis` saved as the step 2 draft. */
export type WebsiteAnalysis = AnalysisFields & {
  status: "completed" | "failed";
  error_message: string | null;
  /** Set when the analysis is usable but less than asked for, e.g. the model failed. */
  warning_message: string | null;
  website_url: string;
  /** The deterministic measurements (page-metrics.ts); empty when the page could not be read. */
  metrics: JsonObject;
  llm_enriched: boolean;
  /** What enriched it (SPEC §6); null when nothing did. */
  llm_provider: LlmSource | null;
};

/**
 * Fetches and analyses a website (SPEC §6). Throws WebsiteFetchRefused for a URL that must not be
 * fetched (the caller's fault); a page that cannot be read gives status "failed" with the reason.
 */
export async function analyzeWebsite(url: string, options: AnalyzeWebsiteOptions): Promise<WebsiteAnalysis> {
  const websiteUrl = url.trim();
  const outcome = await readPage(websiteUrl, options);
  if ("failure" in outcome) {
    options.onPageFailure?.(outcome.failure.message);
    return failed(websiteUrl, PAGE_FAILURES[outcome.failure.kind]);
  }
  const metrics = metricsOf(outcome.page);
  const deterministic = deterministicAnalysis(metrics);
  if (options.chat === undefined) return completed(websiteUrl, deterministic, metrics, null, null);

  const enrichment = await enrichWithLlm(options.chat, { websiteUrl, page: outcome.page, metrics, deterministic }, options.llmTimeoutMs);
  if (enrichment.enriched) return completed(websiteUrl, enrichment.fields, metrics, options.chat.source, null);
  options.onLlmFailure?.(enrichment.reason);
  return completed(websiteUrl, enrichment.fields, metrics, null, enrichment.warning);
}

type PageOutcome = { readonly page: ExtractedPage } | { readonly failure: WebsiteFetchFailed };

/** `error_message` for a person: what happened, without the URL, host, status code or error code (those go to the log). */
const PAGE_FAILURES: Record<WebsiteFetchFailureKind, string> = {
  dns: "The site's address could not be found.",
  network: "The site could not be reached.",
  timeout: "The site took too long to answer.",
  status: "The site did not send the page: it may not exist, or the site refused to show it.",
  too_many_redirects: "The site sent us from one address to another too many times.",
  too_large: "The page is too large to read.",
  not_html: "The address does not lead to a web page.",
  unreadable: "The page could not be read.",
};

async function readPage(websiteUrl: string, options: AnalyzeWebsiteOptions): Promise<PageOutcome> {
  let fetched: FetchedPage;
  try {
    fetched = await safeFetch(websiteUrl, {
      allowPrivate: options.allowPrivate,
      ...(options.fetchTimeoutMs === undefined ? {} : { timeoutMs: options.fetchTimeoutMs }),
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
    });
  } catch (error) {
    if (error instanceof WebsiteFetchFailed) return { failure: error };
    throw error;
  }
  try {
    return { page: extractPage(fetched.html) };
  } catch (error) {
    if (error instanceof WebsiteFetchFailed) return { failure: new WebsiteFetchFailed(error.kind, `${fetched.url}: ${error.message}`) };
    throw error;
  }
}

function completed(
  websiteUrl: string,
  fields: AnalysisFields,
  metrics: JsonObject,
  enrichedBy: LlmSource | null,
  warning: string | null,
): WebsiteAnalysis {
  return {
    status: "completed",
    error_message: null,
    warning_message: warning,
    website_url: websiteUrl,
    ...fields,
    metrics,
    llm_enriched: enrichedBy !== null,
    llm_provider: enrichedBy,
  };
}

function failed(websiteUrl: string, reason: string): WebsiteAnalysis {
  return {
    status: "failed",
    error_message: reason,
    warning_message: null,
    website_url: websiteUrl,
    ...emptyAnalysisFields(),
    metrics: {},
    llm_enriched: false,
    llm_provider: null,
  };
}
