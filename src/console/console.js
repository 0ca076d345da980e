// The console: the market view (one contract's candles with its mark and index, its book
// and its tape, read from the venue's own REST endpoints and kept live over its market
// streams) and the accounts view (accounts.js). It holds no logic of the venue's: it
// shows what the wire says. Plain ES modules, no build; the chart is TradingView's
// lightweight-charts, served by the venue from its npm package.

import { setUpAccounts } from "./accounts.js";
import { depthChart } from "./depth-chart.js";
import { CandlestickSeries, createChart, LineSeries } from "./lightweight-charts.standalone.production.mjs";

const LEVELS = 20;
const TAPE = 50;

const $ = (id) => document.getElementById(id);
const getJson = async (path) => {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
};
const seconds = (ms) => Math.floor(ms / 1000);
const clock = (ms) => new Date(ms).toISOString().slice(11, 19);

function row(cells) {
  const tr = document.createElement("tr");
  for (const text of cells) {
    const td = document.createElement("td");
    td.textContent = text;
    tr.append(td);
  }
  return tr;
}

let depthView;

/** Shows the best LEVELS asks (highest first, down to the best) above the best LEVELS bids, and their depth. */
function showBook(bids, asks) {
  depthView?.show(bids.slice(0, LEVELS), asks.slice(0, LEVELS));
  $("asks").replaceChildren(
    ...asks
      .slice(0, LEVELS)
      .reverse()
      .map(([p, q]) => row([p, q])),
  );
  $("bids").replaceChildren(...bids.slice(0, LEVELS).map(([p, q]) => row([p, q])));
}

function showTrade(price, qty, time) {
  $("trades").prepend(row([clock(time), price, qty]));
  while ($("trades").children.length > TAPE) $("trades").lastChild.remove();
  $("last").textContent = `last ${price}`;
}

function showFunding(rate, nextTime) {
  const left = Math.max(0, nextTime - Date.now());
  const h = Math.floor(left / 3_600_000);
  const m = Math.floor((left % 3_600_000) / 60_000);
  const s = Math.floor((left % 60_000) / 1000);
  $("funding").textContent = `funding ${(Number(rate) * 100).toFixed(4)} % in ${h}h ${m}m ${s}s`;
}

async function open(symbol, pair) {
  depthView = depthChart($("depth-chart"));
  const chart = createChart($("chart"), {
    autoSize: true,
    layout: { background: { color: "#101418" }, textColor: "#d8dee4" },
    grid: { vertLines: { color: "#1c222a" }, horzLines: { color: "#1c222a" } },
    timeScale: { timeVisible: true, secondsVisible: false },
  });
  const candles = chart.addSeries(CandlestickSeries, {});
  const mark = chart.addSeries(LineSeries, { color: "#d6a243", lineWidth: 1, title: "mark" });
  const index = chart.addSeries(LineSeries, { color: "#6a9fd8", lineWidth: 1, title: "index" });
  const q = `symbol=${symbol}&interval=1m&limit=500`;
  const [klines, marks, indexes, depth, trades, [premium]] = await Promise.all([
    getJson(`/dapi/v1/klines?${q}`),
    getJson(`/dapi/v1/markPriceKlines?${q}`),
    getJson(`/dapi/v1/indexPriceKlines?pair=${pair}&interval=1m&limit=500`),
    getJson(`/dapi/v1/depth?symbol=${symbol}&limit=${LEVELS}`),
    getJson(`/dapi/v1/trades?symbol=${symbol}&limit=${TAPE}`),
    getJson(`/dapi/v1/premiumIndex?symbol=${symbol}`),
  ]);
  candles.setData(
    klines.map((k) => ({ time: seconds(k[0]), open: +k[1], high: +k[2], low: +k[3], close: +k[4] })),
  );
  mark.setData(marks.map((k) => ({ time: seconds(k[0]), value: +k[4] })));
  index.setData(indexes.map((k) => ({ time: seconds(k[0]), value: +k[4] })));
  showBook(depth.bids, depth.asks);
  for (const t of trades) showTrade(t.price, t.qty, t.time);
  let funding = { rate: premium?.lastFundingRate ?? "0", next: premium?.nextFundingTime ?? 0 };
  showFunding(funding.rate, funding.next);
  setInterval(() => showFunding(funding.rate, funding.next), 1000);

  const s = symbol.toLowerCase();
  const streams = [`${s}@depth${LEVELS}@500ms`, `${s}@aggTrade`, `${s}@kline_1m`, `${s}@markPrice@1s`];
  const ws = new WebSocket(`${location.origin.replace(/^http/, "ws")}/stream?streams=${streams.join("/")}`);
  ws.addEventListener("message", (message) => {
    const { stream, data } = JSON.parse(message.data);
    if (stream.includes("@depth")) showBook(data.b, data.a);
    else if (stream.endsWith("@aggTrade")) showTrade(data.p, data.q, data.T);
    else if (stream.includes("@kline_")) {
      const k = data.k;
      candles.update({ time: seconds(k.t), open: +k.o, high: +k.h, low: +k.l, close: +k.c });
      // What the chart shows last, for a reader that cannot see the canvas.
      $("chart").dataset.close = k.c;
    } else if (stream.includes("@markPrice")) {
      const minute = seconds(Math.floor(data.E / 60_000) * 60_000);
      mark.update({ time: minute, value: +data.p });
      if (+data.i > 0) index.update({ time: minute, value: +data.i });
      funding = { rate: data.r, next: data.T };
    }
  });
  await new Promise((resolve) => ws.addEventListener("open", resolve, { once: true }));
}

async function main() {
  const info = await getJson("/dapi/v1/exchangeInfo");
  const trading = info.symbols.filter((s) => s.contractStatus === "TRADING");
  const wanted = new URLSearchParams(location.search).get("symbol");
  const chosen =
    trading.find((s) => s.symbol === wanted) ?? trading.find((s) => s.symbol === "BTCUSD_PERP") ?? trading[0];
  const select = $("symbol");
  for (const s of trading) select.append(new Option(s.symbol, s.symbol, false, s === chosen));
  select.addEventListener("change", () => {
    location.search = `?symbol=${select.value}`;
  });
  await open(chosen.symbol, chosen.pair);
  await setUpAccounts({ symbol: chosen.symbol, pair: chosen.pair });
  document.body.dataset.ready = "true";
}

main().catch((error) => {
  document.body.dataset.ready = "failed";
  console.error(error);
});
