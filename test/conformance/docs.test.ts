// The client guide quotes the code the conformance suite runs: each snippet file appears
// in README.md verbatim, as one TypeScript block, so the guide cannot drift.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const guide = fs.readFileSync(path.join(root, "README.md"), "utf8");
const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

describe("README.md", () => {
  it.each(["ccxt.ts", "ccxt-pro.ts", "connector.ts"])(
    "quotes test/conformance/snippets/%s exactly",
    (file) => {
      const source = fs.readFileSync(path.join(root, "test/conformance/snippets", file), "utf8");
      expect(blocks).toContain(source);
    },
  );
});
