/**
 * What every database we support can store. PostgreSQL refuses NUL in text and jsonb and an
 * unpaired surrogate in jsonb (both answered 500), and silently turns an unpaired surrogate in
 * text into U+FFFD; SQLite stores either. Refusing them at the edge keeps the dialects alike.
 */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && !hasUnpairedSurrogate(text);
}

export function hasUnpairedSurrogate(text: string): boolean {
  return UNPAIRED_SURROGATE.test(text);
}

export const UNSTORABLE_TEXT = "must not contain NUL characters or unpaired surrogates";
