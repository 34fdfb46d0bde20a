import { afterEach, describe, expect, it, vi } from "vitest";
import { devTokenSource, setTokenSource } from "@/shared/auth/session-token";
import { ApiError, apiRequest } from "./api-client";

describe("apiRequest", () => {
  afterEach(() => {
    setTokenSource(devTokenSource);
    vi.unstubAllGlobals();
  });

  it("sends the token source's token as the bearer token", async () => {
    const fetchMock = vi.fn(async () => new Response('{"ok":true}', { status: 200, headers: { "content-type": "application/json" } }));
    vi.stubGlobal("fetch", fetchMock);
    setTokenSource({ getToken: async () => "t-1", signOut: async () => {} });
    expect(await apiRequest("GET", "/api/x")).toEqual({ ok: true });
    expect(fetchMock).toHaveBeenCalledWith("/api/x", expect.objectContaining({ headers: expect.objectContaining({ authorization: "Bearer t-1" }) }));
  });

  it("answers a token source that fails (Clerk offline) as unreachable, without a request", async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    setTokenSource({ getToken: () => Promise.reject(new Error("ClerkOfflineError")), signOut: async () => {} });
    const error = await apiRequest("GET", "/api/x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: "unreachable" });
    expect((error as ApiError).message).toMatch(/cannot be reached/);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
