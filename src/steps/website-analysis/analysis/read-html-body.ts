import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { WebsiteFetchFailed } from "./website-fetch-errors.js";

export interface HtmlResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Readable;
}

const HTML_TYPES = new Set(["text/html", "application/xhtml+xml"]);

/**
 * The page's HTML as text, or WebsiteFetchFailed. A body over `maxBytes` (counted after
 * decompression, so a small gzip bomb is caught too) is a failure rather than a truncation: a
 * document cut mid-way would be analysed as if it were the whole site, silently.
 */
export async function readHtmlBody(response: HtmlResponse, where: string, maxBytes: number): Promise<string> {
  try {
    return await readHtml(response, where, maxBytes);
  } catch (error) {
    discardBody(response.body);
    throw error;
  }
}

/** Closes a body nobody will read; the error its destruction raises has no one to tell. */
export function discardBody(body: Readable): void {
  body.on("error", () => undefined);
  body.destroy();
}

async function readHtml(response: HtmlResponse, where: string, maxBytes: number): Promise<string> {
  const contentType = header(response, "content-type") ?? "";
  expectHtml(contentType, where);
  const declaredLength = Number(header(response, "content-length"));
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) throw tooLarge(where, maxBytes);
  const bytes = await readCapped(decoded(response, where), where, maxBytes);
  return decodeText(bytes, charsetOf(contentType) ?? sniffCharset(bytes));
}

function header(response: HtmlResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function expectHtml(contentType: string, where: string): void {
  const mime = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (HTML_TYPES.has(mime)) return;
  // The header is the site's text; only a plain type token is repeated in the message.
  const shown = /^[\w.+-]{1,64}\/[\w.+-]{1,64}$/.test(mime) ? mime : "missing or unreadable";
  throw new WebsiteFetchFailed("not_html", `${where} is not an HTML page (content type ${shown})`);
}

function decoded(response: HtmlResponse, where: string): Readable {
  const encoding = (header(response, "content-encoding") ?? "identity").trim().toLowerCase();
  const decompressor = decompressorFor(encoding);
  if (decompressor === undefined) {
    throw new WebsiteFetchFailed("unreadable", `${where} sent an unsupported content encoding`);
  }
  if (decompressor === null) return response.body;
  // pipeline destroys every stream on an error, which then surfaces from the last one.
  return pipeline(response.body, decompressor, () => undefined);
}

function decompressorFor(encoding: string) {
  if (encoding === "identity" || encoding === "") return null;
  if (encoding === "gzip" || encoding === "x-gzip") return createGunzip();
  if (encoding === "deflate") return createInflate();
  if (encoding === "br") return createBrotliDecompress();
  return undefined;
}

async function readCapped(stream: Readable, where: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    // Leaving the loop destroys the stream, so nothing beyond the cap is read.
    if (total > maxBytes) throw tooLarge(where, maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(where: string, maxBytes: number): WebsiteFetchFailed {
  return new WebsiteFetchFailed("too_large", `${where} is larger than ${maxBytes} bytes`);
}

function charsetOf(contentType: string): string | null {
  return /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType)?.[1] ?? null;
}

/** Browsers look for a `<meta charset>` in the first 1024 bytes when the header names none. */
function sniffCharset(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 1024).toString("latin1");
  return /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ?? null;
}

function decodeText(bytes: Buffer, charset: string | null): string {
  try {
    return new TextDecoder(charset ?? "utf-8").decode(bytes);
  } catch {
    // An unknown label is the site's mistake; UTF-8 reads most of the web correctly.
    return new TextDecoder("utf-8").decode(bytes);
  }
}
