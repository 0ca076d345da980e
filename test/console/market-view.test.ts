/// <reference lib="dom" />
// The web console's market view in a real Chromium against a venue on a real socket:
// it loads with no console error, shows the book REST depth answers, follows the depth
// and trade streams, and lays out without overlap on a desktop and a phone screen.
import { describe, expect, it } from "vitest";
import { useConsole, type WatchedPage } from "../support/browser.js";
import type { Client } from "../support/harness.js";

let maker: Client;
let taker: Client;
const rig = useConsole(async (venue) => {
  maker = await venue.account({ BTC: "100" });
  taker = await venue.account({ BTC: "100" });
  const order = { symbol: "BTCUSD_PERP", type: "LIMIT", timeInForce: "GTC" };
  for (let i = 0; i < 25; i++) {
    await venue.h.place(maker, {
      ...order,
      side: "BUY",
      quantity: 1 + i,
      price: (29_900 - i * 10).toFixed(1),
    });
    await venue.h.place(maker, {
      ...order,
      side: "SELL",
      quantity: 2 + i,
      price: (30_100 + i * 10).toFixed(1),
    });
  }
});

const open = (path = "/console/", width = 1280, height = 800) => rig.open(path, width, height);

const ladder = (p: WatchedPage, side: "asks" | "bids") =>
  p.page.$$eval(`#${side} tr`, (rows) =>
    rows.map((r) => Array.from(r.children).map((c) => c.textContent ?? "")),
  );

describe("the console's market view", () => {
  it("is where / leads, and loads with no console error", async () => {
    const p = await open("/");
    expect(p.page.url()).toBe(`${rig.venue.url}/console/`);
    expect(await p.page.evaluate(() => document.body.dataset.ready)).toBe("true");
    expect(p.errors).toEqual([]);
  });

  it("shows the book REST depth answers, level by level", async () => {
    const p = await open();
    const depth = (await rig.venue.h.request("GET", "/dapi/v1/depth?symbol=BTCUSD_PERP&limit=20")).body as {
      bids: string[][];
      asks: string[][];
    };
    expect(await ladder(p, "bids")).toEqual(depth.bids);
    expect(await ladder(p, "asks")).toEqual([...depth.asks].reverse());
    expect(depth.bids).toHaveLength(20);
    // The depth chart draws the same 40 levels, on a canvas of its own.
    expect(await p.page.$eval("#depth-chart", (e) => (e as HTMLElement).dataset.levels)).toBe("40");
    expect(await p.page.$$eval("#depth-chart canvas", (c) => c.length)).toBe(1);
  });

  it("follows the depth stream: a new best bid appears on the ladder", async () => {
    const p = await open();
    await rig.venue.h.place(maker, {
      symbol: "BTCUSD_PERP",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: 7,
      price: "29950.0",
    });
    await p.page.waitForFunction(() => document.querySelector("#bids tr td")?.textContent === "29950.0", {
      timeout: 2000,
    });
    expect((await ladder(p, "bids"))[0]).toEqual(["29950.0", "7"]);
  });

  it("prints a fill on the tape and as the last price within 2 s", async () => {
    const p = await open();
    await rig.venue.h.place(taker, { symbol: "BTCUSD_PERP", side: "BUY", type: "MARKET", quantity: 2 });
    await p.page.waitForFunction(() => document.querySelector("#last")?.textContent === "last 30100.0", {
      timeout: 2000,
    });
    const [first] = await p.page.$$eval("#trades tr", (rows) =>
      rows.map((r) =>
        Array.from(r.children)
          .slice(1)
          .map((c) => c.textContent),
      ),
    );
    expect(first).toEqual(["30100.0", "2"]);
    // ... and the chart's last candle closes there.
    await p.page.waitForFunction(
      () => (document.querySelector("#chart") as HTMLElement).dataset.close === "30100.0",
      {
        timeout: 2000,
      },
    );
    expect(p.errors).toEqual([]);
  });

  it.each([
    [1280, 800],
    [390, 844],
  ])(
    "lays out at %ix%i with no panel over another and nothing wider than the screen",
    async (width, height) => {
      const p = await open("/console/", width, height);
      const boxes = await p.page.$$eval(
        ["header", "#chart-panel", "#book-panel", "#tape-panel", "#accounts-view"].join(","),
        (els) =>
          els.map((e) => {
            const r = e.getBoundingClientRect();
            return { id: e.id || e.tagName, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
          }),
      );
      expect(boxes).toHaveLength(5);
      for (const [i, a] of boxes.entries())
        for (const b of boxes.slice(i + 1)) {
          const overlap =
            Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
            Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
          expect(overlap, `${a.id} over ${b.id}`).toBe(0);
        }
      const scrollWidth = await p.page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth).toBeLessThanOrEqual(width);
      await p.page.screenshot({ path: `${rig.venue.h.dir}/console-${width}x${height}.png` });
    },
  );
});
