import { describe, expect, it } from "vitest";
import { placeErrors, sentence } from "@/shared/forms/field-errors";

const FIELDS = ["research_depth", "content_types", "api_keys.openai", "api_keys.gemini"];

describe("placeErrors", () => {
  it("puts each errors[].path of a step route at its field, the data. prefix dropped, items at their list", () => {
    const placed = placeErrors(
      [
        { path: "data.research_depth", message: "research_depth must be one of Basic, Standard" },
        { path: "data.content_types.2", message: "a content type has at most 100 characters" },
        { path: "data.api_keys.gemini", message: "an API key has at least 8 characters" },
      ],
      FIELDS,
    );
    expect(placed.byField).toEqual({
      research_depth: "Research_depth must be one of Basic, Standard.",
      content_types: "A content type has at most 100 characters.",
      "api_keys.gemini": "An API key has at least 8 characters.",
    });
    expect(placed.elsewhere).toEqual([]);
  });

  it("keeps the first message per field and sends what names no field to the alert", () => {
    const placed = placeErrors(
      [
        { path: "data.content_types", message: "choose at least one content type" },
        { path: "data.content_types.0", message: "a content type is not empty" },
        { path: "data.extra", message: "is not a known field" },
        { path: "body", message: "the body is not JSON!" },
      ],
      FIELDS,
    );
    expect(placed.byField).toEqual({ content_types: "Choose at least one content type." });
    expect(placed.elsewhere).toEqual(["Is not a known field.", "The body is not JSON!"]);
  });

  it("maps the paths of a route whose body is not the step's payload", () => {
    const placed = placeErrors([{ path: "api_key", message: "send the key itself, not its mask" }], FIELDS, { api_key: "api_keys.openai" });
    expect(placed.byField).toEqual({ "api_keys.openai": "Send the key itself, not its mask." });
  });

  it("does not take a field for another that merely starts like it", () => {
    expect(placeErrors([{ path: "data.content_types_extra", message: "x" }], FIELDS).elsewhere).toEqual(["X."]);
  });

  it("writes messages as sentences", () => {
    expect(sentence("website must be an http(s) URL")).toBe("Website must be an http(s) URL.");
    expect(sentence("Already one.")).toBe("Already one.");
  });
});
