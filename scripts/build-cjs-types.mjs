// The msw entry's declarations for CommonJS projects (dist/msw/index.d.cts): the same text as index.d.ts, read in
// CommonJS mode, so its `import … from "msw"` resolves to the .d.ts copy of msw's types that a CommonJS project itself
// gets. With one ESM .d.ts only, such a project would hold two copies of msw's types (its own .d.ts, the kit's .d.mts)
// and setupServer(...handlers(...)) would not type-check (TS2345: HttpHandler is not assignable to AnyHandler).
import { readFileSync, writeFileSync } from "node:fs";

const from = new URL("../dist/msw/index.d.ts", import.meta.url);
const text = readFileSync(from, "utf8");
// A relative import would need its own .d.cts twin: the entry has none, and must keep it that way.
const relative = text.match(/from\s+["']\.{1,2}\/[^"']*["']/);
if (relative) throw new Error(`dist/msw/index.d.ts imports ${relative[0]}: give that module a .d.cts twin too, or import it by type only from msw.`);
writeFileSync(new URL("../dist/msw/index.d.cts", import.meta.url), text);
