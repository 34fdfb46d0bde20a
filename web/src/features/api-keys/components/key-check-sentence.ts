import type { KeyCheckAnswer } from "@server/steps/api-keys/api-keys-schema";

/** A key check's answer in words, for the person who saved the key. */
export function keyCheckSentence(label: string, status: KeyCheckAnswer["status"]): string {
  switch (status) {
    case "valid":
      return `${label} accepted this key.`;
    case "refused":
      return `${label} refused this key: replace it with a key from your ${label} account.`;
    case "unreachable":
      return `${label} could not be reached to check this key; try again later.`;
  }
}
