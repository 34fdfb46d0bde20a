import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { LLM_PROVIDERS } from "@server/onboarding/providers";
import { apiKeysStepSchema } from "@server/steps/api-keys/api-keys-schema";
import { useCheckApiKey } from "@/features/api-keys/api/check-api-key";
import { useDeleteApiKey } from "@/features/api-keys/api/delete-api-key";
import { savedKeysQuery } from "@/features/api-keys/api/get-api-keys";
import { useSaveApiKey } from "@/features/api-keys/api/save-api-key";
import { useSavePreferredProvider } from "@/features/api-keys/api/save-preferred-provider";
import { keyCheckSentence } from "@/features/api-keys/components/key-check-sentence";
import { PreferredModel } from "@/features/api-keys/components/preferred-model";
import { ProviderKeyRow } from "@/features/api-keys/components/provider-key-row";
import { ApiError } from "@/shared/api/api-client";
import { providersQuery, type ProviderGuide } from "@/shared/api/get-providers";
import { useCompleteStep } from "@/shared/api/steps/complete-step";
import { stepQuery } from "@/shared/api/steps/get-step";
import { StepFrame, StepPlaceholder, type StepNavigation } from "@/shared/components/step-frame";
import { schemaResolver } from "@/shared/forms/schema-resolver";
import { fieldError, formAlert, showServerError } from "@/shared/forms/server-errors";

interface Values {
  api_keys: Record<string, string>;
}

const GROUP_NOTES: Readonly<Record<string, string>> = {
  Create: "Language models write and edit your content; one of them is needed. An image model is optional.",
  Research: "Optional: web search and crawling for research and fact-checking.",
  Integrations: "Optional: the writing assistant inside the app.",
};

/** Step 1: one row per provider of GET /providers, grouped; keys saved one by one or all with Continue. */
export function ApiKeysStep(navigation: StepNavigation) {
  const providers = useQuery(providersQuery);
  const saved = useQuery(savedKeysQuery);
  if (providers.isError || saved.isError) {
    return <StepPlaceholder error={(providers.error ?? saved.error)?.message} onRetry={() => void providers.refetch().then(() => saved.refetch())} />;
  }
  if (providers.data === undefined || saved.data === undefined) return <StepPlaceholder />;
  return <ApiKeysForm providers={providers.data} saved={saved.data.api_keys} {...navigation} />;
}

/** What was typed: only the non-empty fields are keys to save. */
function typedKeys(values: Values): Record<string, string> {
  return Object.fromEntries(Object.entries(values.api_keys).filter(([, key]) => key !== ""));
}

const LAST_MODEL_KEY =
  "This is your only language model key, and a finished step 1 needs one, so it was not removed. Replace it with a new key, or add a key for another language model first.";

function ApiKeysForm({ providers, saved, goNext }: { providers: readonly ProviderGuide[]; saved: Readonly<Record<string, string>> } & StepNavigation) {
  const fields = providers.map((guide) => `api_keys.${guide.provider}`);
  const form = useForm<Values>({
    defaultValues: { api_keys: Object.fromEntries(providers.map((guide) => [guide.provider, ""])) },
    resolver: schemaResolver<Values>(apiKeysStepSchema, fields, (values) => ({ api_keys: typedKeys(values) })),
  });
  const [replacing, setReplacing] = useState<ReadonlySet<string>>(new Set());
  const [note, setNote] = useState("");
  // The provider whose removal was refused as the last language model key of a done step 1.
  const [lastKeyOf, setLastKeyOf] = useState<string | null>(null);
  const complete = useCompleteStep(1);
  const saveKey = useSaveApiKey();
  const removeKey = useDeleteApiKey();
  const checkKey = useCheckApiKey();
  const savePreferred = useSavePreferredProvider();
  const stepOne = useQuery(stepQuery(1));
  const preferredNow = stepOne.data?.data?.preferred_provider;
  const savedModels = LLM_PROVIDERS.filter((provider) => saved[provider] !== undefined).map((provider) => ({
    provider,
    label: providers.find((guide) => guide.provider === provider)?.label ?? provider,
  }));
  /** The last check of each saved key, in words; a new save or removal makes it stale. */
  const [checks, setChecks] = useState<Readonly<Record<string, string>>>({});

  const editing = (provider: string) => saved[provider] === undefined || replacing.has(provider);
  const stopReplacing = (provider: string) => setReplacing((now) => new Set([...now].filter((p) => p !== provider)));

  async function saveOne(guide: ProviderGuide) {
    const name = `api_keys.${guide.provider}` as const;
    if (form.getValues(name) === "") {
      form.setError(name, { type: "required", message: `Type or paste your ${guide.label} key first.` }, { shouldFocus: true });
      return;
    }
    if (!(await form.trigger(name, { shouldFocus: true }))) return;
    try {
      await saveKey.mutateAsync({ provider: guide.provider, api_key: form.getValues(name) });
      form.resetField(name);
      stopReplacing(guide.provider);
      setNote(`Your ${guide.label} key is saved. Only its last four characters will be shown.`);
      setChecks(({ [guide.provider]: _stale, ...rest }) => rest);
    } catch (error) {
      showServerError(form, error, fields, { api_key: name, provider: name });
    }
  }

  async function preferOne(provider: string | null) {
    try {
      await savePreferred.mutateAsync(provider);
      setNote(provider === null ? "The first saved language-model key will write your analysis and persona." : `Your ${savedModels.find((m) => m.provider === provider)?.label ?? provider} key will write your analysis and persona.`);
    } catch (error) {
      showServerError(form, error, fields);
    }
  }

  async function checkOne(guide: ProviderGuide) {
    let sentence: string;
    try {
      sentence = keyCheckSentence(guide.label, (await checkKey.mutateAsync(guide.provider)).status);
    } catch (error) {
      sentence = error instanceof Error ? error.message : `The ${guide.label} key could not be checked; try again later.`;
    }
    setChecks((now) => ({ ...now, [guide.provider]: sentence }));
  }

  async function removeOne(guide: ProviderGuide) {
    setLastKeyOf(null);
    try {
      await removeKey.mutateAsync(guide.provider);
      stopReplacing(guide.provider);
      setNote(`Your ${guide.label} key is removed.`);
    } catch (error) {
      if (error instanceof ApiError && error.code === "last_model_key") setLastKeyOf(guide.provider);
      else showServerError(form, error, fields);
    }
  }

  const onSubmit = form.handleSubmit(async (values) => {
    const keys = typedKeys(values);
    try {
      await complete.mutateAsync(Object.keys(keys).length > 0 ? { api_keys: keys } : undefined);
      goNext();
    } catch (error) {
      showServerError(form, error, fields);
    }
  });

  const labelOf = (provider: string) => providers.find((guide) => guide.provider === provider)?.label ?? provider;
  const groups = [...new Set(providers.map((guide) => guide.group))];
  const llmNames = LLM_PROVIDERS.map(labelOf);
  return (
    <StepFrame
      stepNumber={1}
      intro={
        <p>
          Add an API key for at least one language model: {llmNames.slice(0, -1).join(", ")} or {llmNames.at(-1)}. Keys are encrypted
          as soon as they reach us and never shown again in full.
        </p>
      }
      alert={formAlert(form.formState.errors)}
      onSubmit={onSubmit}
      busy={complete.isPending}
    >
      <p role="status" className="status-note">
        {note}
      </p>
      {groups.map((group) => (
        <section key={group} className="provider-group" aria-labelledby={`group-${group}`}>
          <h2 id={`group-${group}`}>{group}</h2>
          {GROUP_NOTES[group] !== undefined && <p className="hint">{GROUP_NOTES[group]}</p>}
          {providers
            .filter((guide) => guide.group === group)
            .map((guide) => (
              <ProviderKeyRow
                key={guide.provider}
                guide={guide}
                masked={saved[guide.provider]}
                languageModel={(LLM_PROVIDERS as readonly string[]).includes(guide.provider)}
                editing={editing(guide.provider)}
                error={fieldError(form.formState.errors, `api_keys.${guide.provider}`)}
                field={form.register(`api_keys.${guide.provider}`)}
                saving={saveKey.isPending && saveKey.variables?.provider === guide.provider}
                removing={removeKey.isPending && removeKey.variables === guide.provider}
                removalRefused={lastKeyOf === guide.provider ? LAST_MODEL_KEY : undefined}
                onReplace={() => {
                  setLastKeyOf(null);
                  setReplacing((now) => new Set([...now, guide.provider]));
                }}
                onCancel={() => {
                  form.resetField(`api_keys.${guide.provider}`);
                  form.clearErrors(`api_keys.${guide.provider}`);
                  stopReplacing(guide.provider);
                }}
                onSave={() => void saveOne(guide)}
                onRemove={() => void removeOne(guide)}
                checking={checkKey.isPending && checkKey.variables === guide.provider}
                checkResult={checks[guide.provider]}
                onCheck={() => void checkOne(guide)}
              />
            ))}
          {group === "Create" && (
            <PreferredModel
              saved={savedModels}
              preferred={typeof preferredNow === "string" ? preferredNow : undefined}
              busy={savePreferred.isPending}
              onChange={(provider) => void preferOne(provider)}
            />
          )}
        </section>
      ))}
    </StepFrame>
  );
}
