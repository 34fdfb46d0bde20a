import type { JsonObject } from "@server/onboarding/onboarding-record";
import { editedTexts, withEditedTexts, type EditableField, type EditedTexts } from "@/shared/forms/editable-fields";

export interface AnalysisSection {
  readonly key: string;
  readonly title: string;
  readonly fields: readonly EditableField[];
}

/** The analysis's main fields as a person reads them; the engine's other fields are kept as they are. */
export const ANALYSIS_SECTIONS: readonly AnalysisSection[] = [
  {
    key: "writing_style",
    title: "Writing style",
    fields: [
      { path: "tone", label: "Tone" },
      { path: "voice", label: "Voice" },
      { path: "formality", label: "Formality" },
      { path: "complexity", label: "Complexity" },
      { path: "reading_level", label: "Reading level" },
    ],
  },
  {
    key: "target_audience",
    title: "Audience",
    fields: [
      { path: "primary", label: "Primary audience" },
      { path: "expertise_level", label: "Expertise level" },
    ],
  },
  {
    key: "content_type",
    title: "Content type",
    fields: [
      { path: "primary", label: "Main content type" },
      { path: "format", label: "Format" },
    ],
  },
  {
    key: "recommended_settings",
    title: "Recommended settings",
    fields: [
      { path: "writing_tone", label: "Writing tone" },
      { path: "content_length", label: "Content length" },
      { path: "creativity_level", label: "Creativity" },
    ],
  },
  {
    key: "style_guidelines",
    title: "Guidelines",
    fields: [
      { path: "guidelines", label: "Do", list: true },
      { path: "avoid", label: "Avoid", list: true },
    ],
  },
];

/** Every section's fields, as paths into the analysis. */
export const ANALYSIS_FIELDS: readonly EditableField[] = ANALYSIS_SECTIONS.flatMap((section) =>
  section.fields.map((field) => ({ ...field, path: `${section.key}.${field.path}` })),
);

/** Step 2's form. */
export interface WebsiteValues {
  website: string;
  analysis: EditedTexts;
}

export function analysisTexts(analysis: JsonObject): EditedTexts {
  return editedTexts(analysis, ANALYSIS_FIELDS);
}

/** A hand-written analysis (`base` = {}) has no status, so it counts as done. */
export function analysisWithEdits(base: JsonObject, edits: EditedTexts): JsonObject {
  return withEditedTexts(base, ANALYSIS_FIELDS, edits);
}
