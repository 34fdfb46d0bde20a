import { describe, expect, it } from "vitest";
import { NoncePool } from "./nonce-pool.js";

describe("NoncePool", () => {
  it("never hands out the same nonce twice, across refills", () => {
    const pool = new NoncePool(12, 8);
    const nonces = Array.from({ length: 100 }, () => pool.take());
    expect(nonces.every((nonce) => nonce.length === 12)).toBe(true);
    expect(new Set(nonces.map((nonce) => nonce.toString("hex"))).size).toBe(100);
  });

  it("leaves a nonce already handed out as it was when the pool refills", () => {
    const pool = new NoncePool(12, 2);
    const first = pool.take();
    const copy = Buffer.from(first);
    for (let i = 0; i < 10; i++) pool.take();
    expect(first.equals(copy)).toBe(true);
  });
});
