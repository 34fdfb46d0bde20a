import type { Part } from "../support/part.js";
export const badInput: Part = { name: "bad input", boundSeconds: 1, run: async () => [] };
