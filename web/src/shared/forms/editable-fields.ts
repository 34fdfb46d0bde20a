import { get, set } from "react-hook-form";
import type { JsonObject, JsonValue } from "@server/onboarding/onboarding-record";

/**
 * A field of a generated result (an analysis, a persona) that a person may read and change: text,
 * or a list of texts edited one item per line. `path` is dotted (`tone.adjustment`).
 */
export interface EditableField {
  readonly path: string;
  readonly label: string;
  readonly list?: boolean;
  readonly multiline?: boolean;
}

/** The form holds text: a list is one item per line. */
export type EditedTexts = { [key: string]: string | EditedTexts };

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** Whether the page can edit the field as the source holds it (text or a list of texts, or absent). */
export function isEditable(source: JsonObject, field: EditableField): boolean {
  const value: unknown = get(source, field.path);
  return value === undefined || (field.list === true ? isTextList(value) : typeof value === "string");
}

/** The form's values for `fields` of `source`. */
export function editedTexts(source: JsonObject, fields: readonly EditableField[]): EditedTexts {
  const texts: EditedTexts = {};
  for (const field of fields.filter((f) => isEditable(source, f))) {
    const value: unknown = get(source, field.path);
    set(texts, field.path, isTextList(value) ? value.join("\n") : typeof value === "string" ? value : "");
  }
  return texts;
}

/** `source` with the person's edits; every other field stays as it was, and a field emptied is removed. */
export function withEditedTexts(source: JsonObject, fields: readonly EditableField[], edits: EditedTexts | undefined): JsonObject {
  const result = structuredClone(source);
  for (const field of fields) {
    const edited: unknown = get(edits ?? {}, field.path);
    if (typeof edited !== "string") continue;
    const value: JsonValue = field.list === true ? edited.split("\n").map((line) => line.trim()).filter(Boolean) : edited.trim();
    if (value.length > 0) set(result, field.path, value);
    else removePath(result, field.path);
  }
  return result;
}

function removePath(target: JsonObject, path: string): void {
  const parts = path.split(".");
  const last = parts.pop() as string;
  const parent: unknown = parts.length === 0 ? target : get(target, parts.join("."));
  if (typeof parent === "object" && parent !== null) delete (parent as Record<string, unknown>)[last];
}
