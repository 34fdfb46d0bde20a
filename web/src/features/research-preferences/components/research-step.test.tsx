import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ResearchStep } from "@/features/research-preferences/components/research-step";
import { answerFetch, renderPage } from "@/testing/render";

const SAVED = { research_depth: "Expert", content_types: ["Blog posts", "Podcast notes"], auto_research: false, factual_content: true };

function stepView(data: unknown) {
  return { status: 200, body: { step_number: 3, title: "AI Research", description: "", status: "in_progress", completed_at: null, data, validation_errors: [] } };
}

describe("step 3: research preferences", () => {
  it("fills in what was saved, custom content types included", async () => {
    answerFetch({ "GET /api/onboarding/step/3": stepView(SAVED) });
    renderPage(<ResearchStep goBack={() => undefined} goNext={() => undefined} />);
    expect(await screen.findByRole("radio", { name: /Expert/ })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Podcast notes" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Newsletters" })).not.toBeChecked();
    expect(screen.getByRole("switch", { name: "Auto research" })).not.toBeChecked();
    expect(screen.getByRole("switch", { name: "Factual content" })).toBeChecked();
  });

  it("refuses no content type before any request, then shows the API's field error at its group", async () => {
    const sent = answerFetch({
      "GET /api/onboarding/step/3": stepView(null),
      "POST /api/onboarding/step/3/complete": {
        status: 400,
        body: { detail: "invalid", code: "validation_failed", errors: [{ path: "data.research_depth", message: "research_depth must be one of Basic, Standard, Comprehensive, Expert" }] },
      },
    });
    renderPage(<ResearchStep goBack={() => undefined} goNext={() => undefined} />);
    await userEvent.click(await screen.findByRole("checkbox", { name: "Blog posts" }));
    await userEvent.click(screen.getByRole("button", { name: "Continue" }));
    const types = screen.getByRole("group", { name: "Content types" });
    await waitFor(() => expect(types).toHaveAccessibleDescription(expect.stringContaining("Choose at least one content type.")));
    expect(screen.getByRole("checkbox", { name: "Newsletters" })).toHaveAttribute("aria-invalid", "true");
    expect(sent.some((exchange) => exchange.method === "POST")).toBe(false);

    await userEvent.type(screen.getByLabelText("Add content type"), "Release notes{Enter}");
    expect(screen.getByRole("checkbox", { name: "Release notes" })).toBeChecked();
    await userEvent.click(screen.getByRole("button", { name: "Continue" }));
    const depth = screen.getByRole("group", { name: "Research depth" });
    await waitFor(() => expect(depth).toHaveAccessibleDescription("Research_depth must be one of Basic, Standard, Comprehensive, Expert."));
    expect(screen.getByRole("radio", { name: /Standard/ })).toHaveAttribute("aria-invalid", "true");
    expect(sent.at(-1)).toEqual({
      method: "POST",
      path: "/api/onboarding/step/3/complete",
      body: { data: { research_depth: "Standard", content_types: ["Release notes"], auto_research: true, factual_content: true } },
    });
  });
});
