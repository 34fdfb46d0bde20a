// Loaded with `--import` into a worker thread started from our TypeScript sources (start-worker-module.ts):
// registers tsx there, so that the thread's own module, a .ts file, loads. Never used by the compiled build.
import { register } from "tsx/esm/api";

register();
