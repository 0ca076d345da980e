// The text frames the market streams write themselves are the bytes ws frames a server
// message as, at every length boundary of RFC 6455's three length forms.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { textFrame } from "../../src/stream/frames.js";

// ws's framing is untyped; the test reads it only to compare.
const { Sender } = createRequire(import.meta.url)("ws") as {
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
};
const wsFrame = (text: string) =>
  Buffer.concat(
    Sender.frame(Buffer.from(text), { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false }),
  );

describe("text frames", () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 200_000])("match ws's frame of a %i-byte message", (n) => {
    const text = "x".repeat(n);
    expect(textFrame(text).equals(wsFrame(text))).toBe(true);
  });

  it("count the payload in bytes, not characters", () => {
    const text = `{"s":"₿"}${"é".repeat(70)}`;
    expect(textFrame(text).equals(wsFrame(text))).toBe(true);
    expect(textFrame(text)[1]).toBe(126);
  });
});
