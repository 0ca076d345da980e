// The console's accounts view: the admin token typed once and kept in sessionStorage,
// the accounts list, one account's overview (GET /admin/v1/accounts/{id}/overview: its
// risk level, balances, positions, open and conditional orders, fills), its user-data
// stream as events arrive, and a deposit or withdrawal through the admin API; the other
// controls are controls.js's. Nothing here can act without the token: the controls
// appear only once one is given.

import { adminJson, table as fill, hasToken, keepToken } from "./admin.js";
import { setUpControls } from "./controls.js";

const EVENTS = 100;

const $ = (id) => document.getElementById(id);
const table = (id, columns, items) => fill($(id), columns, items);

async function showOverview(accountId) {
  const o = await adminJson(`/admin/v1/accounts/${accountId}/overview`);
  $("risk").textContent = `${o.riskLevel}${o.uniMMR === null ? "" : `, uniMMR ${o.uniMMR}`}`;
  table(
    "balances",
    ["asset", "balance"],
    Object.entries(o.balances).map(([asset, balance]) => ({ asset, balance })),
  );
  table(
    "positions",
    ["symbol", "positionSide", "positionAmt", "entryPrice", "markPrice", "unRealizedProfit"],
    o.positions,
  );
  table(
    "orders",
    ["orderId", "symbol", "side", "type", "price", "origQty", "executedQty", "status"],
    o.openOrders,
  );
  table(
    "conditional",
    ["strategyId", "symbol", "side", "strategyType", "stopPrice", "origQty"],
    o.conditionalOrders,
  );
  table("fills", ["id", "symbol", "side", "price", "qty", "realizedPnl"], o.fills);
  return o;
}

let stream;
/** What the controls show of the venue (its clock, its faults), redrawn once the token is given. */
let controls;

async function follow(accountId, apiKey) {
  stream?.close();
  $("events").replaceChildren();
  if (apiKey === undefined) return;
  const res = await fetch("/papi/v1/listenKey", { method: "POST", headers: { "x-mbx-apikey": apiKey } });
  const { listenKey } = await res.json();
  stream = new WebSocket(`${location.origin.replace(/^http/, "ws")}/pm/ws/${listenKey}`);
  stream.addEventListener("message", (message) => {
    const li = document.createElement("li");
    li.textContent = message.data;
    $("events").prepend(li);
    while ($("events").children.length > EVENTS) $("events").lastChild.remove();
    void showOverview(accountId);
  });
  await new Promise((resolve) => stream.addEventListener("open", resolve, { once: true }));
}

async function choose(accountId) {
  const o = await showOverview(accountId);
  await follow(accountId, o.apiKeys[0]?.apiKey);
  document.body.dataset.account = String(accountId);
}

async function start() {
  const accounts = await adminJson("/admin/v1/accounts?limit=1000");
  const select = $("account");
  select.replaceChildren(
    ...accounts.map((a) => new Option(`${a.accountId} ${a.alias}${a.house ? " (house)" : ""}`, a.accountId)),
  );
  select.onchange = () => void choose(Number(select.value));
  $("account-panel").hidden = false;
  await Promise.all([controls.showClock(), controls.showFaults()]);
  if (accounts.length > 0) await choose(Number(select.value));
}

export function setUpAccounts(market) {
  controls = setUpControls(market, () => showOverview(Number($("account").value)));
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    keepToken($("token").value);
    start().catch((error) => {
      $("control-answer").textContent = String(error.message);
    });
  });
  $("deposit-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const accountId = Number($("account").value);
    const body = JSON.stringify({ asset: $("deposit-asset").value, amount: $("deposit-amount").value });
    adminJson(`/admin/v1/accounts/${accountId}/balances`, { method: "POST", body })
      .then((answer) => {
        $("control-answer").textContent = `${answer.asset} balance ${answer.balance}`;
        return showOverview(accountId);
      })
      .catch((error) => {
        $("control-answer").textContent = String(error.message);
      });
  });
  if (hasToken()) return start();
}
