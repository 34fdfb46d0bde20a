import { z } from "zod";
import { jsonValue } from "../../http/view-schemas.js";
import { isStorableText } from "../../text/storable-text.js";
import { ANALYSIS_FIELDS } from "../../onboarding/analysis-fields.js";


export const websiteUrlSchema = z
  .string()
  .max(2048, "a website URL has at most 2048 characters")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "website must be an http(s) URL")
  // The URL is stored as sent; the parser's leniency must not let unstorable or invisible characters through
  // (it drops surrounding spaces and, in a host, zero-width characters: both were stored as sent).
  .refine(
    (value) => isStorableText(value) && !/[\p{Cc}\p{Cf}]|^\s|\s$/u.test(value),
    "a website URL has no surrounding spaces, control or invisible formatting characters, NUL or unpaired surrogates",
  );

/** SPEC §6. Also what fits `website_analyses.status` (varchar(50)): PostgreSQL refused a longer one with a 500. */
export const ANALYSIS_STATUSES = ["completed", "failed", "in_progress"] as const;

const analysisObject = z.record(z.string(), jsonValue);

/** The analysis: the nine fields of SPEC §4 (each an object), plus what the engine adds (metrics, status). */
export const websiteAnalysisSchema = z
  .object({
    ...(Object.fromEntries(ANALYSIS_FIELDS.map((field) => [field, analysisObject.optional()])) as Record<
      (typeof ANALYSIS_FIELDS)[number],
      z.ZodOptional<typeof analysisObject>
    >),
    status: z.enum(ANALYSIS_STATUSES, { message: `status must be one of ${ANALYSIS_STATUSES.join(", ")}` }).optional(),
  })
  .catchall(jsonValue);

export const websiteStepSchema = z
  .object({
    website: websiteUrlSchema,
    analysis: websiteAnalysisSchema.optional(),
  })
  .strict();
export type WebsiteStepData = z.infer<typeof websiteStepSchema>;
