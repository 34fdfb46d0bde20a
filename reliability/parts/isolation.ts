import type { Part } from "../support/part.js";
export const isolation: Part = { name: "isolation", boundSeconds: 1, run: async () => [] };
