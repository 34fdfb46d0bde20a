import { LlmKeyRefused, type ChatClient } from "./chat-client.js";

/**
 * The sentence a person reads when the model gave nothing usable (SPEC §6): a refused key is said
 * as such, so the user can fix it in step 1; anything else is one plain sentence. Neither names a
 * URL, host, status or body: the details go to the operator's log.
 */
export function modelFailureWarning(error: unknown, chat: Pick<ChatClient, "source" | "providerLabel">, consequence: string): string {
  if (!(error instanceof LlmKeyRefused)) return `The language model was not available; ${consequence}.`;
  return `${refusalSentence(chat)} ${consequence.charAt(0).toUpperCase()}${consequence.slice(1)}.`;
}

function refusalSentence({ source, providerLabel }: Pick<ChatClient, "source" | "providerLabel">): string {
  if (source === "server") return "The server's language model refused the server's key.";
  if (source === "environment") return `The ${providerLabel} key in the server's environment was refused.`;
  return `Your ${providerLabel} key was refused: check it in step 1.`;
}
