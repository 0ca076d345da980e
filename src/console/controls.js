// The console's controls, each one admin call and nothing more: advance, freeze or
// resume the venue clock; set the contract's mark or its pair's index; force a fill;
// add and clear faults (listed with their hits); pause or resume the simulated market.
// Each answer, or the venue's refusal, is shown beside them.

import { adminJson, table } from "./admin.js";

const $ = (id) => document.getElementById(id);

/** Runs an admin call from a control, says what came of it, then refreshes the views. */
function control(id, event, call, refresh) {
  $(id).addEventListener(event, (e) => {
    e.preventDefault();
    call()
      .then((said) => {
        $("control-answer").textContent = said;
        return refresh();
      })
      .catch((error) => {
        $("control-answer").textContent = String(error.message);
      });
  });
}

const post = (path, body) => adminJson(path, { method: "POST", body: JSON.stringify(body) });

async function showClock() {
  const c = await adminJson("/admin/v1/clock");
  $("clock").textContent = `clock ${c.mode} at ${new Date(c.serverTime).toISOString()}`;
}

async function showFaults() {
  const faults = await adminJson("/admin/v1/faults");
  table($("faults"), ["faultId", "method", "path", "stream", "effect", "count", "hits"], faults);
}

/** `market` is the contract the market view shows; `refreshAccount` redraws the account's overview. */
export function setUpControls(market, refreshAccount) {
  const refresh = () => Promise.all([showClock(), showFaults(), refreshAccount()]);
  const clockSaid = (c) => `clock ${c.mode} at ${new Date(c.serverTime).toISOString()}`;
  control(
    "clock-form",
    "submit",
    async () => clockSaid(await post("/admin/v1/clock", { advanceMs: Number($("advance-ms").value) })),
    refresh,
  );
  control("freeze", "click", async () => clockSaid(await post("/admin/v1/clock", { freeze: true })), refresh);
  control(
    "resume",
    "click",
    async () => clockSaid(await post("/admin/v1/clock", { freeze: false })),
    refresh,
  );
  control(
    "mark-form",
    "submit",
    async () => {
      const a = await post("/admin/v1/markPrice", {
        symbol: market.symbol,
        markPrice: $("mark-price").value,
      });
      return `${a.symbol} mark ${a.markPrice}`;
    },
    refresh,
  );
  control(
    "index-form",
    "submit",
    async () => {
      const a = await post("/admin/v1/indexPrice", { pair: market.pair, indexPrice: $("index-price").value });
      return `${a.pair} index ${a.indexPrice}`;
    },
    refresh,
  );
  control(
    "fill-form",
    "submit",
    async () => {
      const quantity = $("fill-quantity").value;
      const body = { symbol: market.symbol, orderId: Number($("fill-order").value) };
      const o = await post(
        "/admin/v1/orders/fill",
        quantity === "" ? body : { ...body, quantity: Number(quantity) },
      );
      return `order ${o.orderId} ${o.status}, ${o.executedQty} filled`;
    },
    refresh,
  );
  control(
    "fault-form",
    "submit",
    async () => {
      const f = await post("/admin/v1/faults", {
        method: $("fault-method").value,
        path: $("fault-path").value,
        effect: $("fault-effect").value,
        count: Number($("fault-count").value),
      });
      return `fault ${f.faultId} added`;
    },
    refresh,
  );
  control(
    "clear-faults",
    "click",
    async () => `${(await adminJson("/admin/v1/faults", { method: "DELETE" })).removed} faults lifted`,
    refresh,
  );
  const pause = (paused) => async () => {
    const m = await adminJson("/admin/v1/market", { method: "PUT", body: JSON.stringify({ paused }) });
    return m.paused ? "market paused" : "market running";
  };
  control("pause-market", "click", pause(true), refresh);
  control("resume-market", "click", pause(false), refresh);
  return { showClock, showFaults };
}
