import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { PersonaData } from "@server/steps/persona/persona-schema";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

export type GeneratedPersona = PersonaData & { readonly llm_enriched?: boolean; readonly llm_provider?: string | null; readonly warnings?: readonly string[] };

/** POST /step4/generate-personas: a persona from steps 2-3 for the chosen platforms, kept as step 4's draft. */
export function useGeneratePersona() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (selectedPlatforms: readonly string[]) =>
      apiRequest<GeneratedPersona>("POST", `${ONBOARDING}/step4/generate-personas`, { selectedPlatforms }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["onboarding"] }),
  });
}
