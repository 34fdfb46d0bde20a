import { createCipheriv, createDecipheriv } from "node:crypto";
import { keyVersionOf, LEGACY_KEY_VERSION } from "./key-version.js";
import { NoncePool } from "./nonce-pool.js";

/** An API key at rest: AES-256-GCM ciphertext, the key version that sealed it, and the last 4 characters for masking. */
export interface SealedSecret {
  /** base64 of nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes). */
  readonly ciphertext: string;
  readonly keyVersion: number;
  readonly last4: string;
}

export class SecretDecryptionFailed extends Error {
  constructor(keyVersion: number, reason: string) {
    super(`cannot decrypt a secret sealed with key version ${keyVersion}: ${reason}`);
    this.name = "SecretDecryptionFailed";
  }
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals and opens secrets with AES-256-GCM. Every secret is bound to a context (user and
 * provider) as additional authenticated data, so a ciphertext copied onto another user's row
 * fails to open instead of leaking that user's key. It may hold several keys (during a
 * rotation, the previous one too): it opens with the key of the secret's version and always
 * seals with the current one.
 */
export class SecretCipher {
  readonly #keys: ReadonlyMap<number, Buffer>;
  readonly #currentVersion: number;
  readonly #nonces = new NoncePool(NONCE_BYTES);

  /** `keys` maps a key version to its 32 raw bytes; new secrets use `currentVersion`. */
  constructor(keys: ReadonlyMap<number, Buffer>, currentVersion: number) {
    for (const [version, key] of keys) {
      if (key.length !== 32) throw new Error(`encryption key version ${version} is ${key.length} bytes, not 32`);
    }
    if (!keys.has(currentVersion)) throw new Error(`no encryption key for current version ${currentVersion}`);
    this.#keys = keys;
    this.#currentVersion = currentVersion;
  }

  /**
   * The current key (ENCRYPTION_KEY) and, while a rotation runs, the previous one
   * (ENCRYPTION_KEY_PREVIOUS), each under the version derived from it (`keyVersionOf`).
   */
  static fromBase64(current: string, previous?: string): SecretCipher {
    const currentKey = Buffer.from(current, "base64");
    const keys = new Map([[keyVersionOf(currentKey), currentKey]]);
    if (previous !== undefined) {
      const previousKey = Buffer.from(previous, "base64");
      const version = keyVersionOf(previousKey);
      if (keys.has(version)) {
        throw new Error(
          previousKey.equals(currentKey)
            ? "the previous encryption key is the current one"
            : `the previous and the current encryption key share version ${version}: generate another key`,
        );
      }
      keys.set(version, previousKey);
    }
    return new SecretCipher(keys, keyVersionOf(currentKey));
  }

  /** The version every new seal gets; `rotate-encryption-key` brings every stored secret to it. */
  get currentVersion(): number {
    return this.#currentVersion;
  }

  /** Every version this cipher opens besides the legacy one, the current first. */
  get versions(): readonly number[] {
    return [this.#currentVersion, ...[...this.#keys.keys()].filter((version) => version !== this.#currentVersion)];
  }

  seal(plaintext: string, context: string): SealedSecret {
    const nonce = this.#nonces.take();
    const cipher = createCipheriv("aes-256-gcm", this.#key(this.#currentVersion), nonce);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return Object.freeze({
      ciphertext: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64"),
      keyVersion: this.#currentVersion,
      last4: last4Of(plaintext),
    });
  }

  open(sealed: Pick<SealedSecret, "ciphertext" | "keyVersion">, context: string): string {
    const raw = Buffer.from(sealed.ciphertext, "base64");
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new SecretDecryptionFailed(sealed.keyVersion, "too short");
    for (const key of this.#keysFor(sealed.keyVersion)) {
      const plaintext = openWith(key, raw, context);
      if (plaintext !== undefined) return plaintext;
    }
    throw new SecretDecryptionFailed(sealed.keyVersion, "authentication failed (wrong key or context)");
  }

  /** The key of that version; for a legacy secret, every key, the current one first. */
  #keysFor(version: number): Buffer[] {
    if (version !== LEGACY_KEY_VERSION || this.#keys.has(version)) return [this.#key(version)];
    return [this.#key(this.#currentVersion), ...this.#keys.values()].filter(unique);
  }

  #key(version: number): Buffer {
    const key = this.#keys.get(version);
    if (key === undefined) throw new SecretDecryptionFailed(version, "no such key version is configured");
    return key;
  }
}

/** What a sealed secret keeps in clear: its last 4 characters, none when it has 4 or fewer (it would be whole). */
export function last4Of(plaintext: string): string {
  return plaintext.length > 4 ? plaintext.slice(-4) : "";
}

/** The plaintext, or undefined when the tag does not verify (another key, another context, or tampering). */
function openWith(key: Buffer, raw: Buffer, context: string): string | undefined {
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

function unique<T>(value: T, index: number, all: readonly T[]): boolean {
  return all.indexOf(value) === index;
}

/** The one masking rule: stars for all but the last 4 characters (only stars when 4 or fewer). */
export function maskSecret(sealed: SealedSecret): string {
  const length = sealedLength(sealed);
  if (length <= 4) return "*".repeat(length);
  return "*".repeat(length - 4) + sealed.last4;
}

/** GCM keeps the length: keys are printable ASCII, so bytes are characters. */
function sealedLength(sealed: SealedSecret): number {
  return Math.max(0, Buffer.from(sealed.ciphertext, "base64").length - NONCE_BYTES - TAG_BYTES);
}

/** The context that binds an API key's ciphertext to its owner and provider. */
export function apiKeyContext(userId: string, provider: string): string {
  return `api-key\u0000${userId}\u0000${provider}`;
}
