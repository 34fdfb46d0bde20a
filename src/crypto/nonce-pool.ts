import { randomBytes } from "node:crypto";

/** Nonces drawn per refill: one CSPRNG call serves this many seals. */
export const NONCES_PER_REFILL = 512;

/**
 * Hands out fresh random nonces from a buffer filled by the CSPRNG many nonces at a time:
 * one `randomBytes` call per value cost more than the encryption itself in a bulk import.
 * Each nonce is bytes no other nonce has used; a refill allocates a new buffer, so a nonce
 * already handed out is never overwritten either.
 */
export class NoncePool {
  readonly #nonceBytes: number;
  readonly #refillBytes: number;
  #buffer = Buffer.alloc(0);
  #offset = 0;

  constructor(nonceBytes: number, noncesPerRefill = NONCES_PER_REFILL) {
    this.#nonceBytes = nonceBytes;
    this.#refillBytes = nonceBytes * noncesPerRefill;
  }

  take(): Buffer {
    if (this.#offset + this.#nonceBytes > this.#buffer.length) {
      this.#buffer = randomBytes(this.#refillBytes);
      this.#offset = 0;
    }
    const nonce = this.#buffer.subarray(this.#offset, this.#offset + this.#nonceBytes);
    this.#offset += this.#nonceBytes;
    return nonce;
  }
}
