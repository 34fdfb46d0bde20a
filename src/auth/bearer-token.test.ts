import { describe, expect, it } from "vitest";
import { Unauthorized } from "../errors/app-errors.js";
import { readBearerToken } from "./bearer-token.js";

const TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl";

describe("readBearerToken", () => {
  it.each(["Bearer", "bearer", "BEARER", "BeArEr"])("reads the token after %s, case-insensitively", (scheme) => {
    expect(readBearerToken(`${scheme} ${TOKEN}`)).toBe(TOKEN);
  });

  it("tolerates extra spaces around the token", () => {
    expect(readBearerToken(`Bearer   ${TOKEN}  `)).toBe(TOKEN);
  });

  it.each([undefined, "", "   "])("refuses a missing header (%j)", (header) => {
    const missing = new Unauthorized('missing Authorization header: expected "Bearer <token>"');
    expect(() => readBearerToken(header)).toThrow(missing);
  });

  it.each([
    ["no scheme", TOKEN],
    ["another scheme", `Basic ${TOKEN}`],
    ["scheme without token", "Bearer "],
    ["scheme glued to token", `Bearer${TOKEN}`],
    ["two tokens", `Bearer ${TOKEN} ${TOKEN}`],
    ["characters no JWT has", `Bearer ${TOKEN}<script>`],
  ])("refuses a malformed header: %s", (_label, header) => {
    const error = (() => {
      try {
        readBearerToken(header);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(Unauthorized);
    expect((error as Unauthorized).message).toBe('malformed Authorization header: expected "Bearer <token>"');
    expect((error as Unauthorized).message).not.toContain(TOKEN);
  });
});
