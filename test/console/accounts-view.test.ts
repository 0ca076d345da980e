/// <reference lib="dom" />
// The console's accounts view in a real Chromium: nothing to act with before the admin
// token is given; then an account's balances, open orders and fills, its user-data
// stream, and a deposit made from the controls.
import { describe, expect, it } from "vitest";
import { useConsole, type WatchedPage } from "../support/browser.js";
import { ADMIN_TOKEN, type Client } from "../support/harness.js";

let alice: Client;
let bob: Client;
const rig = useConsole(async (venue) => {
  alice = await venue.account({ BTC: "10" });
  bob = await venue.account({ BTC: "10" });
});

/** The console with the token typed in, on Alice's account (the first one). */
async function signedIn(): Promise<WatchedPage> {
  const p = await rig.open();
  await p.page.type("#token", ADMIN_TOKEN);
  await p.page.click("#token-form button");
  await p.page.waitForFunction(
    (id) => document.body.dataset.account === id,
    { timeout: 5000 },
    String(alice.accountId),
  );
  return p;
}

const cells = (p: WatchedPage, id: string) =>
  p.page.$$eval(`#${id} tr`, (rows) =>
    rows.slice(1).map((r) => Array.from(r.children).map((c) => c.textContent)),
  );

describe("the console's accounts view", () => {
  it("shows nothing to act with before the admin token is given", async () => {
    const p = await rig.open();
    expect(await p.page.$eval("#account-panel", (e) => (e as HTMLElement).hidden)).toBe(true);
    expect(await p.page.$eval("#token", (e) => e.getAttribute("type"))).toBe("password");
    expect(p.errors).toEqual([]);
  });

  it("lists the account's balances once the token is given, and keeps the token for the tab", async () => {
    const p = await signedIn();
    expect(await cells(p, "balances")).toEqual([["BTC", "10"]]);
    expect(await p.page.evaluate(() => sessionStorage.length)).toBe(1);
    expect(p.errors).toEqual([]);
  });

  it("shows an order placed over the signed API among the open orders, then its fill", async () => {
    const p = await signedIn();
    const placed = await rig.venue.h.place(alice, {
      symbol: "BTCUSD_PERP",
      side: "SELL",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: 2,
      price: "30500.0",
    });
    await p.page.waitForFunction(
      (id) =>
        Array.from(document.querySelectorAll("#orders tr td:first-child")).some(
          (td) => td.textContent === id,
        ),
      { timeout: 2000 },
      String(placed.orderId),
    );
    await rig.venue.h.place(bob, { symbol: "BTCUSD_PERP", side: "BUY", type: "MARKET", quantity: 2 });
    await p.page.waitForFunction(() => document.querySelectorAll("#fills tr").length > 1, { timeout: 2000 });
    const [fill] = await cells(p, "fills");
    expect(fill!.slice(1, 5)).toEqual(["BTCUSD_PERP", "SELL", "30500", "2"]);
    expect(await cells(p, "orders")).toEqual([]);
  });

  it("deposits from the controls: the balance shown changes and the stream shows ACCOUNT_UPDATE", async () => {
    const p = await signedIn();
    const [[, before]] = (await cells(p, "balances")) as [[string, string]];
    const after = (Math.round(Number(before) * 1e8) + 150_000_000) / 1e8;
    await p.page.type("#deposit-amount", "1.5");
    await p.page.click("#deposit-form button");
    await p.page.waitForFunction(
      (want) => document.querySelector("#balances tr:nth-child(2) td:nth-child(2)")?.textContent === want,
      { timeout: 2000 },
      String(after),
    );
    await p.page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll("#events li")).some((li) =>
          li.textContent?.includes('"ACCOUNT_UPDATE"'),
        ),
      { timeout: 2000 },
    );
    const [update] = await p.page.$$eval("#events li", (items) =>
      items.map((li) => JSON.parse(li.textContent ?? "")),
    );
    expect(update).toMatchObject({ e: "ACCOUNT_UPDATE", a: { m: "DEPOSIT" } });
    expect(await p.page.$eval("#control-answer", (e) => e.textContent)).toBe(`BTC balance ${after}`);
  });
});

describe("the console's controls", () => {
  const answer = (p: WatchedPage, text: string) =>
    p.page.waitForFunction(
      (want) => document.querySelector("#control-answer")?.textContent === want,
      { timeout: 2000 },
      text,
    );

  it("sets the contract's mark through the admin API", async () => {
    const p = await signedIn();
    await p.page.type("#mark-price", "31000.0");
    await p.page.click("#mark-form button");
    await answer(p, "BTCUSD_PERP mark 31000");
    const [premium] = (await rig.venue.h.request("GET", "/dapi/v1/premiumIndex?symbol=BTCUSD_PERP")).body as {
      markPrice: string;
    }[];
    expect(Number(premium!.markPrice)).toBe(31000);
    await rig.venue.h.request(
      "POST",
      "/admin/v1/markPrice",
      { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      JSON.stringify({ symbol: "BTCUSD_PERP", markPrice: null }),
    );
  });

  it("adds a fault that a signed order then meets, lists it with its hit, and clears it", async () => {
    const p = await signedIn();
    await p.page.select("#fault-effect", "unavailable");
    await p.page.click("#fault-form button[type=submit]");
    await answer(p, "fault 1 added");
    const refused = await rig.venue.h.signed(bob, "POST", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: 1,
      price: "20000.0",
    });
    expect(refused.status).toBe(503);
    await p.page.click("#clear-faults");
    await answer(p, "1 faults lifted");
    expect(
      (await rig.venue.h.request("GET", "/admin/v1/faults", { authorization: `Bearer ${ADMIN_TOKEN}` })).body,
    ).toEqual([]);
  });

  it("forces a fill of one of the account's orders", async () => {
    const p = await signedIn();
    const placed = await rig.venue.h.place(alice, {
      symbol: "BTCUSD_PERP",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: 3,
      price: "25000.0",
    });
    await p.page.type("#fill-order", String(placed.orderId));
    await p.page.type("#fill-quantity", "1");
    await p.page.click("#fill-form button");
    await answer(p, `order ${placed.orderId} PARTIALLY_FILLED, 1 filled`);
    await rig.venue.h.signed(alice, "DELETE", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
    });
  });
});

describe("the console's labels and keyboard", () => {
  it("names every field and button, and submits a control with Enter", async () => {
    const p = await signedIn();
    const unnamed = await p.page.$$eval("input, select, button", (els) =>
      els
        .filter((e) => {
          const id = e.id;
          const labelled = id !== "" && document.querySelector(`label[for="${id}"]`) !== null;
          return (
            !labelled &&
            !e.getAttribute("aria-label") &&
            (e.tagName !== "BUTTON" || e.textContent?.trim() === "")
          );
        })
        .map((e) => e.outerHTML),
    );
    expect(unnamed).toEqual([]);
    await p.page.focus("#deposit-amount");
    await p.page.keyboard.type("0.5");
    await p.page.keyboard.press("Enter");
    await p.page.waitForFunction(
      () => document.querySelector("#control-answer")?.textContent?.startsWith("BTC balance ") === true,
      { timeout: 2000 },
    );
  });
});
