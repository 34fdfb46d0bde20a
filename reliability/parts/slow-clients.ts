import type { Part } from "../support/part.js";
export const slowClients: Part = { name: "slow-clients", boundSeconds: 1, run: async () => [] };
