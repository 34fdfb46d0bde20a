import type { Part } from "../support/part.js";
export const crash: Part = { name: "crash", boundSeconds: 1, run: async () => [] };
