import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ApiKeysStep } from "@/features/api-keys/components/api-keys-step";
import { answerFetch, renderPage } from "@/testing/render";

const guide = (provider: string, label: string, group = "Create") => ({
  provider,
  label,
  group,
  url: `https://${provider}.example/keys`,
  description: `${label} models`,
  setup_steps: ["Sign in", "Create a key"],
  configured: false,
  source: null,
});

const PROVIDERS = [guide("openai", "OpenAI"), guide("gemini", "Gemini"), guide("exa", "Exa", "Research")];
const MASK = "*".repeat(18) + "9xQ2";

function renderStep(extra: Record<string, { status: number; body?: unknown }> = {}) {
  const sent = answerFetch({
    "GET /api/onboarding/providers": { status: 200, body: PROVIDERS },
    // configured_providers as a list: the page must not depend on its type.
    "GET /api/onboarding/api-keys": { status: 200, body: { api_keys: { openai: MASK }, total_providers: 10, configured_providers: ["openai"] } },
    ...extra,
  });
  renderPage(<ApiKeysStep goBack={() => undefined} goNext={() => undefined} />);
  return sent;
}

describe("step 1: API keys", () => {
  it("shows a saved key only as its mask, with Replace and Remove, and a field for each other provider", async () => {
    renderStep({ "DELETE /api/onboarding/api-keys/openai": { status: 204 } });
    const openai = await screen.findByRole("group", { name: "OpenAI" });
    expect(within(openai).getByText("••••••••9xQ2")).toBeInTheDocument();
    expect(within(openai).queryByLabelText("OpenAI API key")).toBeNull();
    expect(within(openai).getByRole("button", { name: "Replace" })).toBeInTheDocument();
    expect(within(openai).getByRole("button", { name: "Remove" })).toBeInTheDocument();
    expect(screen.getByLabelText("Gemini API key")).toHaveAttribute("type", "password");
    expect(screen.getByLabelText("Exa API key")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "AI LLM Providers", level: 1 })).toBeInTheDocument();
    expect(screen.getByText(/at least one language model: OpenAI, Gemini/)).toBeInTheDocument();

    await userEvent.click(within(openai).getByRole("button", { name: "Replace" }));
    expect(within(openai).getByLabelText("OpenAI API key")).toHaveValue("");
  });

  it("says why the last language model key of a done step 1 stays, in a sentence, and moves focus to Replace", async () => {
    renderStep({
      "DELETE /api/onboarding/api-keys/openai": {
        status: 409,
        body: { detail: "Step 1 is done and needs a key for a language model provider", code: "last_model_key", errors: [] },
      },
    });
    const openai = await screen.findByRole("group", { name: "OpenAI" });
    await userEvent.click(within(openai).getByRole("button", { name: "Remove" }));
    expect(await within(openai).findByRole("alert")).toHaveTextContent(/^This is your only language model key, .* Replace it with a new key/);
    expect(within(openai).getByRole("button", { name: "Replace" })).toHaveFocus();
    expect(within(openai).getByText("••••••••9xQ2")).toBeInTheDocument();

    await userEvent.click(within(openai).getByRole("button", { name: "Replace" }));
    expect(within(openai).queryByRole("alert")).toBeNull();
  });

  it("shows a sentence, never the status line, for an answer without the API's error body", async () => {
    renderStep({ "DELETE /api/onboarding/api-keys/openai": { status: 502, body: "" } });
    const openai = await screen.findByRole("group", { name: "OpenAI" });
    await userEvent.click(within(openai).getByRole("button", { name: "Remove" }));
    const alert = await screen.findByText("Something went wrong on our side. Please try again in a moment.");
    expect(alert).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(/502|Bad Gateway|server answered/);
  });

  it("checks a key with the shared schema before sending, and shows the API's 400 at the field it names", async () => {
    const sent = renderStep({
      "POST /api/onboarding/api-keys": { status: 400, body: { detail: "The request is not valid", code: "validation_failed", errors: [{ path: "api_key", message: "send the key itself, not its mask" }] } },
    });
    const gemini = await screen.findByRole("group", { name: "Gemini" });
    const field = within(gemini).getByLabelText("Gemini API key");

    await userEvent.type(field, "short");
    await userEvent.click(within(gemini).getByRole("button", { name: "Save key" }));
    await waitFor(() => expect(field).toHaveAttribute("aria-invalid", "true"));
    expect(field).toHaveAccessibleDescription("An API key has at least 8 characters.");
    expect(sent.filter((exchange) => exchange.method === "POST")).toEqual([]);

    await userEvent.clear(field);
    await userEvent.type(field, "AIzaRealLookingKey123");
    await userEvent.click(within(gemini).getByRole("button", { name: "Save key" }));
    await waitFor(() => expect(field).toHaveAccessibleDescription("Send the key itself, not its mask."));
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(sent.filter((exchange) => exchange.method === "POST")).toEqual([
      { method: "POST", path: "/api/onboarding/api-keys", body: { provider: "gemini", api_key: "AIzaRealLookingKey123" } },
    ]);
  });

  it("puts an error that names no field in the alert region", async () => {
    renderStep({
      "POST /api/onboarding/step/1/complete": { status: 409, body: { detail: "Step 1 cannot be completed: save a key for a language model", code: "cannot_complete", errors: [] } },
    });
    await screen.findByRole("group", { name: "Gemini" });
    await userEvent.click(screen.getByRole("button", { name: "Continue" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Step 1 cannot be completed: save a key for a language model");
  });

  it.each([
    ["valid", "OpenAI accepted this key."],
    ["refused", "OpenAI refused this key: replace it with a key from your OpenAI account."],
    ["unreachable", "OpenAI could not be reached to check this key; try again later."],
  ])("Check key beside a saved model key shows a %s key in words", async (status, sentence) => {
    const sent = renderStep({
      "POST /api/onboarding/api-keys/openai/check": { status: 200, body: { provider: "openai", status, source: "database", checked_at: "2026-01-01T00:00:00.000Z" } },
    });
    const openai = await screen.findByRole("group", { name: "OpenAI" });

    await userEvent.click(within(openai).getByRole("button", { name: "Check key" }));

    expect(await within(openai).findByText(sentence)).toHaveAttribute("role", "status");
    expect(sent.filter((exchange) => exchange.method === "POST").map((exchange) => exchange.path)).toEqual(["/api/onboarding/api-keys/openai/check"]);
    // Only language-model keys have it, and only once saved.
    expect(within(await screen.findByRole("group", { name: "Gemini" })).queryByRole("button", { name: "Check key" })).toBeNull();
  });

  it("with two model keys saved, asks which one writes the analysis and the persona, and saves the choice", async () => {
    const sent = answerFetch({
      "GET /api/onboarding/providers": { status: 200, body: PROVIDERS },
      "GET /api/onboarding/api-keys": { status: 200, body: { api_keys: { openai: MASK, gemini: MASK }, total_providers: 10, configured_providers: ["gemini", "openai"] } },
      "PUT /api/onboarding/step/1": { status: 200, body: {} },
    });
    renderPage(<ApiKeysStep goBack={() => undefined} goNext={() => undefined} />);
    const choice = await screen.findByLabelText("Preferred language model");
    expect(choice).toHaveValue("");

    await userEvent.selectOptions(choice, "Gemini");

    await waitFor(() => expect(sent.filter((exchange) => exchange.method === "PUT")).toEqual([
      { method: "PUT", path: "/api/onboarding/step/1", body: { data: { api_keys: {}, preferred_provider: "gemini" } } },
    ]));
    expect(await screen.findByText("Your Gemini key will write your analysis and persona.")).toBeInTheDocument();
  });

  it("offers no choice of model with one model key saved", async () => {
    renderStep();
    await screen.findByRole("group", { name: "OpenAI" });
    expect(screen.queryByLabelText("Preferred language model")).toBeNull();
  });
});
