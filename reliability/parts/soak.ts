import type { Part } from "../support/part.js";
export const soak: Part = { name: "soak", boundSeconds: 1, run: async () => [] };
