import type { Part } from "../support/part.js";
export const twoInstances: Part = { name: "two-instances", boundSeconds: 1, run: async () => [] };
