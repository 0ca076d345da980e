// Acknowledged means durable, under load: the venue runs as a child process while many
// clients place (crossing, so orders fill), modify and cancel orders; it is killed with
// SIGKILL at seeded random moments, several rounds, and restarted on the same data
// folder. After each restart:
// - every acknowledged order is there with at least its acknowledged progress: one
//   acknowledged FILLED, CANCELED or EXPIRED is exactly so; one acknowledged open may
//   since have filled further, or have been cancelled or modified only by the request
//   that was in flight when the venue died;
// - the committed history is consistent: each order's fills are its trades, each trade
//   has a maker and a taker side, positions are the sum of fills, no id repeats;
// - the rebuilt books (openOrders, depth) are exactly the store's active orders;
// - new order ids continue above every id ever given.
// At the end a crossing order shows the rebuilt book keeps price-time priority.
// One scenario runs first; each test then states one of these behaviours from what the
// scenario found, so a failure names the broken promise and its first cases.
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillBaseAcc } from "../../src/domain/inverse.js";
import { DATABASE_FILE } from "../../src/store/sqlite.js";
import { type ChildVenue, spawnVenue } from "../support/child-venue.js";
import { tempDir } from "../support/harness.js";
import { random } from "../support/random.js";
import { type Key, type Params, Remote, type Reply } from "../support/remote.js";

const SEED = Number(process.env.KILL9_SEED ?? 20240607);
const ROUNDS = Number(process.env.KILL9_ROUNDS ?? 5);
const WORKERS = 16;
const SYMBOL = "BTCUSD_PERP";
const TOKEN = "kill9-token";
/** Ticks per price unit (BTCUSD_PERP's tick is 0.1). */
const TICKS = 10;
const ACTIVE = new Set(["NEW", "PARTIALLY_FILLED"]);
const FINAL = new Set(["FILLED", "CANCELED", "EXPIRED"]);

let venue: ChildVenue | undefined;

type Promise_ = "answers" | "acknowledged" | "history" | "books" | "ids" | "priority" | "market";

/** Broken promises found by the scenario, by kind, with their first cases. */
class Findings {
  private readonly found = new Map<Promise_, string[]>();

  check(kind: Promise_, ok: boolean, detail: () => string): void {
    if (ok) return;
    const list = this.found.get(kind) ?? [];
    if (list.length < 10) list.push(detail());
    this.found.set(kind, list);
  }

  same(kind: Promise_, actual: unknown, expected: unknown, what: string): void {
    this.check(
      kind,
      isDeepStrictEqual(actual, expected),
      () => `${what}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`,
    );
  }

  of(kind: Promise_): string[] {
    return this.found.get(kind) ?? [];
  }
}

interface Acked {
  readonly status: string;
  readonly executedQty: number;
  readonly origQty: number;
  readonly priceTicks: number;
}

/** What the clients know of one order. */
interface Tracked {
  readonly id: number;
  readonly worker: number;
  readonly clientOrderId: string;
  readonly side: "BUY" | "SELL";
  /** Orders that never rest may end EXPIRED without anyone cancelling them. */
  readonly resting: boolean;
  /** The last acknowledged state. */
  acked: Acked;
  /** A cancel or modify sent but never answered (the venue died): it may or may not have happened. */
  inflight: { kind: "cancel" } | { kind: "modify"; priceTicks: number; origQty: number } | undefined;
  /** A cancel or modify was refused because the order was no longer open: it had filled or expired. */
  closed: boolean;
  /** Changed in the current round: checked through the API after the next restart. */
  touched: boolean;
}

interface OrderRow {
  id: number;
  account_id: number;
  symbol: string;
  side: string;
  price: number;
  orig_qty: number;
  executed_qty: number;
  base_acc: string;
  status: string;
  client_order_id: string;
  seq: number;
  active: number;
}

interface TradeRow {
  trade_id: number;
  account_id: number;
  order_id: number;
  symbol: string;
  side: string;
  price: number;
  qty: number;
  maker: number;
  time: number;
  agg_id: number;
}

interface CandleRow {
  open_time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  base_acc: string;
  trades: number;
  taker_buy_volume: number;
  taker_buy_base_acc: string;
}

const ticksOf = (price: unknown) => Math.round(Number(price) * TICKS);

function ackOf(body: unknown): Acked {
  const o = body as { status: string; executedQty: string; origQty: string; price: string };
  return {
    status: o.status,
    executedQty: Number(o.executedQty),
    origQty: Number(o.origQty),
    priceTicks: ticksOf(o.price),
  };
}

class World {
  readonly tracked = new Map<number, Tracked>();
  /** Client order ids of orders sent but never answered. */
  readonly unanswered: Array<{ worker: number; clientOrderId: string }> = [];
  /** Every order id the venue ever answered, to prove none repeats. */
  readonly ids = new Set<number>();
  keys: Key[] = [];
  prober!: Key;
  /** The highest order id the store held at the last restart. */
  storedMaxId = 0;
  /** The next book update id the store held at the last restart: it may only grow. */
  storedNextUpdateId = 0;
  readonly findings = new Findings();
  /** How much the scenario exercised, so a quiet run cannot pass for a good one. */
  readonly counts = { acknowledged: 0, fills: 0, modifies: 0, cancels: 0, inflightAtKill: 0 };

  constructor(readonly dir: string) {}

  acknowledge(worker: number, clientOrderId: string, side: "BUY" | "SELL", resting: boolean, body: unknown) {
    const id = (body as { orderId: number }).orderId;
    this.findings.check("ids", !this.ids.has(id), () => `order id ${id} given twice`);
    this.findings.check(
      "ids",
      id > this.storedMaxId,
      () => `order id ${id} not above ${this.storedMaxId}, stored before`,
    );
    this.ids.add(id);
    this.counts.acknowledged++;
    const t: Tracked = {
      id,
      worker,
      clientOrderId,
      side,
      resting,
      acked: ackOf(body),
      inflight: undefined,
      closed: false,
      touched: true,
    };
    this.tracked.set(id, t);
    return t;
  }
}

/** One client: a loop of place / modify / cancel on its own account until the venue dies. */
async function runWorker(
  world: World,
  remote: Remote,
  w: number,
  round: number,
  seed: number,
): Promise<void> {
  const rnd = random(seed);
  const key = world.keys[w]!;
  const open = new Set(
    [...world.tracked.values()].filter((t) => t.worker === w && ACTIVE.has(t.acked.status) && !t.closed),
  );
  const pick = () => [...open][Math.floor(rnd() * open.size)]!;
  const price = () => 29980 + Math.floor(rnd() * 41);
  const expectRefused = (res: Reply, codes: number[]) => {
    world.findings.check(
      "answers",
      res.status < 500 && codes.includes((res.body as { code: number }).code),
      () => `${res.status} ${res.text}`,
    );
  };
  for (let n = 0; ; n++) {
    const r = rnd();
    if (open.size === 0 || (r < 0.55 && open.size < 30)) {
      const clientOrderId = `k${round}w${w}n${n}`;
      const side = rnd() < 0.5 ? "BUY" : "SELL";
      const kind = rnd();
      const tif =
        kind < 0.7 ? "GTC" : kind < 0.8 ? "IOC" : kind < 0.87 ? "FOK" : kind < 0.95 ? "GTX" : "MARKET";
      const params: Params = {
        symbol: SYMBOL,
        side,
        quantity: 1 + Math.floor(rnd() * 5),
        newClientOrderId: clientOrderId,
      };
      if (tif === "MARKET") params.type = "MARKET";
      else Object.assign(params, { type: "LIMIT", timeInForce: tif, price: price() });
      params.newOrderRespType = rnd() < 0.8 ? "RESULT" : "ACK";
      let res: Reply;
      try {
        res = await orderRequest(remote, key, "POST", params);
      } catch {
        world.unanswered.push({ worker: w, clientOrderId });
        world.counts.inflightAtKill++;
        return;
      }
      if (res.status !== 200) {
        expectRefused(res, [-5021, -5022]);
        continue;
      }
      const t = world.acknowledge(w, clientOrderId, side, tif === "GTC" || tif === "GTX", res.body);
      if (ACTIVE.has(t.acked.status)) open.add(t);
    } else if (r < 0.75) {
      const t = pick();
      const priceTicks = (price() + (rnd() < 0.5 ? 0.5 : 0)) * TICKS;
      const origQty = 1 + Math.floor(rnd() * 6);
      t.inflight = { kind: "modify", priceTicks, origQty };
      t.touched = true;
      let res: Reply;
      try {
        res = await orderRequest(remote, key, "PUT", {
          symbol: SYMBOL,
          orderId: t.id,
          side: t.side,
          quantity: origQty,
          price: priceTicks / TICKS,
        });
      } catch {
        world.counts.inflightAtKill++;
        return;
      }
      t.inflight = undefined;
      if (res.status === 200) {
        world.counts.modifies++;
        t.acked = ackOf(res.body);
        if (!ACTIVE.has(t.acked.status)) open.delete(t);
      } else {
        expectRefused(res, [-2013, -5027]);
        if ((res.body as { code: number }).code === -2013) {
          t.closed = true;
          open.delete(t);
        }
      }
    } else {
      const t = pick();
      t.inflight = { kind: "cancel" };
      t.touched = true;
      let res: Reply;
      try {
        res = await orderRequest(remote, key, "DELETE", {
          symbol: SYMBOL,
          ...(rnd() < 0.5 ? { orderId: t.id } : { origClientOrderId: t.clientOrderId }),
        });
      } catch {
        world.counts.inflightAtKill++;
        return;
      }
      t.inflight = undefined;
      open.delete(t);
      if (res.status === 200) {
        world.counts.cancels++;
        t.acked = ackOf(res.body);
      } else {
        expectRefused(res, [-2011]);
        t.closed = true;
      }
    }
  }
}

function orderRequest(remote: Remote, key: Key, method: string, params: Params): Promise<Reply> {
  return remote.signed(key, method, "/papi/v1/cm/order", params);
}

/** Runs `fn` over `items`, `width` at a time. */
async function pooled<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Everything checked after a restart. */
async function verify(world: World, remote: Remote): Promise<void> {
  const db = new Database(path.join(world.dir, DATABASE_FILE), { readonly: true });
  try {
    const orders = db.prepare<[], OrderRow>("SELECT * FROM orders").all();
    const trades = db.prepare<[], TradeRow>("SELECT * FROM trades").all();
    const byId = new Map(orders.map((o) => [o.id, o]));
    world.counts.fills = new Set(trades.map((t) => t.trade_id)).size;
    checkHistory(world.findings, db, orders, trades, byId);
    checkMarket(world, db, trades);
    checkAcknowledged(world, byId);
    // What survived is now known: a request that was in flight has happened or not, for good.
    for (const t of world.tracked.values()) {
      const row = byId.get(t.id);
      if (!row) continue;
      t.acked = {
        status: row.status,
        executedQty: row.executed_qty,
        origQty: row.orig_qty,
        priceTicks: row.price,
      };
      t.inflight = undefined;
    }
    world.storedMaxId = Math.max(0, ...orders.map((o) => o.id));
    for (const o of orders) world.ids.add(o.id);
    await checkApi(world, remote, orders, byId);
  } finally {
    db.close();
  }
}

/** The committed history agrees with itself. */
function checkHistory(
  findings: Findings,
  db: Database.Database,
  orders: OrderRow[],
  trades: TradeRow[],
  byId: Map<number, OrderRow>,
) {
  const fills = new Map<number, { qty: number; base: bigint }>();
  const sides = new Map<number, TradeRow[]>();
  const positions = new Map<number, number>();
  for (const t of trades) {
    const f = fills.get(t.order_id) ?? { qty: 0, base: 0n };
    f.qty += t.qty;
    f.base += fillBaseAcc(t.qty, t.price);
    fills.set(t.order_id, f);
    sides.set(t.trade_id, [...(sides.get(t.trade_id) ?? []), t]);
    positions.set(t.account_id, (positions.get(t.account_id) ?? 0) + (t.side === "BUY" ? t.qty : -t.qty));
    findings.same(
      "history",
      byId.get(t.order_id)?.account_id,
      t.account_id,
      `account of trade ${t.trade_id}`,
    );
  }
  for (const o of orders) {
    const f = fills.get(o.id) ?? { qty: 0, base: 0n };
    const state = () => JSON.stringify(o);
    findings.same("history", f.qty, o.executed_qty, `fills of order ${o.id}`);
    findings.same("history", f.base.toString(), o.base_acc, `cumBase of order ${o.id}`);
    findings.check("history", o.executed_qty <= o.orig_qty || o.status === "CANCELED", state);
    findings.check("history", (o.active === 1) === ACTIVE.has(o.status), state);
    const consistent =
      o.status === "NEW"
        ? o.executed_qty === 0
        : o.status === "PARTIALLY_FILLED"
          ? o.executed_qty > 0 && o.executed_qty < o.orig_qty
          : o.status === "FILLED"
            ? o.executed_qty === o.orig_qty
            : FINAL.has(o.status);
    findings.check("history", consistent, () => `status against fills: ${state()}`);
  }
  const tradeIds = [...sides.keys()].sort((a, b) => a - b);
  findings.same(
    "history",
    tradeIds,
    tradeIds.map((_, i) => i + 1),
    "trade ids without a gap",
  );
  for (const [tradeId, pair] of sides) {
    const [a, b] = pair;
    findings.check("history", pair.length === 2, () => `trade ${tradeId} has ${pair.length} sides`);
    if (!a || !b) continue;
    findings.same(
      "history",
      { price: a.price, qty: a.qty, makers: a.maker + b.maker, sides: new Set([a.side, b.side]).size },
      { price: b.price, qty: b.qty, makers: 1, sides: 2 },
      `maker and taker of trade ${tradeId}`,
    );
  }
  const stored = db
    .prepare<[string], { account_id: number; amount: number }>(
      "SELECT account_id, amount FROM positions WHERE symbol = ?",
    )
    .all(SYMBOL);
  const held = new Map(stored.map((p) => [p.account_id, p.amount]));
  for (const [accountId, amount] of positions) {
    findings.same("history", held.get(accountId) ?? 0, amount, `position of account ${accountId}`);
  }
  const active = orders.filter((o) => o.active === 1).map((o) => `${o.account_id}|${o.client_order_id}`);
  findings.same("history", new Set(active).size, active.length, "open client order ids, one per account");
  const meta = new Map(
    db
      .prepare<[], { name: string; value: number }>("SELECT name, value FROM meta")
      .all()
      .map((r) => [r.name, r.value]),
  );
  const maxId = Math.max(0, ...orders.map((o) => o.id));
  findings.check("ids", (meta.get("nextOrderId") ?? 0) > maxId, () => `next order id not above ${maxId}`);
  const maxTrade = Math.max(0, ...tradeIds);
  findings.check(
    "ids",
    (meta.get("nextTradeId") ?? 0) > maxTrade,
    () => `next trade id not above ${maxTrade}`,
  );
}

/**
 * The market data written beside the trades agrees with them: aggregates are runs of one
 * taker order at one price in trade-id order, each minute's candle is what that minute's
 * fills make, and the book update counter never went back.
 */
function checkMarket(world: World, db: Database.Database, trades: TradeRow[]) {
  const findings = world.findings;
  const takers = trades
    .filter((t) => t.maker === 0 && t.symbol === SYMBOL)
    .sort((a, b) => a.trade_id - b.trade_id);
  let previous: TradeRow | undefined;
  const model = new Map<number, CandleRow>();
  let open: CandleRow | undefined;
  for (const t of takers) {
    if (previous) {
      const same = previous.order_id === t.order_id && previous.price === t.price;
      findings.check(
        "market",
        same ? t.agg_id === previous.agg_id : t.agg_id > previous.agg_id,
        () => `aggregate of trade ${t.trade_id}: ${t.agg_id} after ${previous!.agg_id}`,
      );
    }
    previous = t;
    // A fill stamped before the open minute counts in the open minute.
    const minute = Math.max(Math.floor(t.time / 60_000) * 60_000, open?.open_time ?? 0);
    const base = fillBaseAcc(t.qty, t.price);
    const bought = t.side === "BUY";
    if (open?.open_time !== minute) {
      open = {
        open_time: minute,
        open: t.price,
        high: t.price,
        low: t.price,
        close: t.price,
        volume: 0,
        base_acc: "0",
        trades: 0,
        taker_buy_volume: 0,
        taker_buy_base_acc: "0",
      };
      model.set(minute, open);
    }
    open.high = Math.max(open.high, t.price);
    open.low = Math.min(open.low, t.price);
    open.close = t.price;
    open.volume += t.qty;
    open.base_acc = (BigInt(open.base_acc) + base).toString();
    open.trades++;
    if (bought) {
      open.taker_buy_volume += t.qty;
      open.taker_buy_base_acc = (BigInt(open.taker_buy_base_acc) + base).toString();
    }
  }
  const stored = db
    .prepare<[string], CandleRow>(
      `SELECT open_time, open, high, low, close, volume, base_acc, trades, taker_buy_volume, taker_buy_base_acc
       FROM candles JOIN books ON books.code = candles.book WHERE books.symbol = ? ORDER BY open_time`,
    )
    .all(SYMBOL);
  findings.same("market", stored, [...model.values()], "one-minute candles against the trades");
  const next =
    db.prepare<[], { value: number }>("SELECT value FROM meta WHERE name = 'nextUpdateId'").get()?.value ?? 0;
  findings.check(
    "market",
    next >= world.storedNextUpdateId,
    () => `next book update id ${next} below ${world.storedNextUpdateId}, stored before`,
  );
  world.storedNextUpdateId = next;
}

/** Every acknowledged order is in the store, with at least its acknowledged progress. */
function checkAcknowledged(world: World, byId: Map<number, OrderRow>) {
  const findings = world.findings;
  for (const t of world.tracked.values()) {
    const row = byId.get(t.id);
    const seen = () =>
      JSON.stringify({ id: t.id, acked: t.acked, inflight: t.inflight, closed: t.closed, row });
    findings.check("acknowledged", row !== undefined, () => `acknowledged order ${t.id} is missing`);
    if (!row) continue;
    const now = {
      status: row.status,
      executedQty: row.executed_qty,
      origQty: row.orig_qty,
      priceTicks: row.price,
    };
    findings.same("acknowledged", row.client_order_id, t.clientOrderId, `client order id of ${t.id}`);
    if (FINAL.has(t.acked.status)) {
      findings.same("acknowledged", now, t.acked, `final state of order ${t.id}`);
      continue;
    }
    findings.check("acknowledged", now.executedQty >= t.acked.executedQty, seen);
    const shape = { origQty: now.origQty, priceTicks: now.priceTicks };
    const acknowledged = { origQty: t.acked.origQty, priceTicks: t.acked.priceTicks };
    const modified = t.inflight?.kind === "modify" ? t.inflight : undefined;
    const allowed = modified
      ? [acknowledged, { origQty: modified.origQty, priceTicks: modified.priceTicks }]
      : [acknowledged];
    findings.check(
      "acknowledged",
      allowed.some((a) => isDeepStrictEqual(a, shape)),
      seen,
    );
    // Only the owner cancels, so a cancel nobody acknowledged can only be the one in flight.
    findings.check("acknowledged", now.status !== "CANCELED" || t.inflight !== undefined, seen);
    findings.check("acknowledged", now.status !== "EXPIRED" || !t.resting, seen);
    findings.check("acknowledged", !t.closed || now.status === "FILLED" || now.status === "EXPIRED", seen);
  }
}

/** What the venue answers after the restart is what the store holds. */
async function checkApi(world: World, remote: Remote, orders: OrderRow[], byId: Map<number, OrderRow>) {
  const findings = world.findings;
  const accountOf = new Map(world.keys.map((k) => [k.accountId, k]));
  accountOf.set(world.prober.accountId, world.prober);
  for (const [accountId, key] of accountOf) {
    const res = await remote.signed(key, "GET", "/papi/v1/cm/openOrders", { symbol: SYMBOL });
    const listed = (res.body as Array<Record<string, string | number>>).map((o) => ({
      id: o.orderId,
      status: o.status,
      executed: Number(o.executedQty),
      orig: Number(o.origQty),
      priceTicks: ticksOf(o.price),
    }));
    const stored = orders
      .filter((o) => o.account_id === accountId && o.active === 1)
      .sort((a, b) => a.id - b.id)
      .map((o) => ({
        id: o.id,
        status: o.status,
        executed: o.executed_qty,
        orig: o.orig_qty,
        priceTicks: o.price,
      }));
    findings.same("books", listed, stored, `open orders of account ${accountId}`);
  }
  const depth = (await remote.get(`/dapi/v1/depth?symbol=${SYMBOL}&limit=1000`)).body as {
    bids: string[][];
    asks: string[][];
  };
  const levels = (side: string) => {
    const sum = new Map<number, number>();
    for (const o of orders.filter((r) => r.active === 1 && r.side === side)) {
      sum.set(o.price, (sum.get(o.price) ?? 0) + o.orig_qty - o.executed_qty);
    }
    return [...sum].sort((a, b) => (side === "BUY" ? b[0] - a[0] : a[0] - b[0]));
  };
  const asLevels = (rows: string[][]) => rows.map(([p, q]) => [ticksOf(p), Number(q)]);
  findings.same("books", asLevels(depth.bids), levels("BUY"), "bids");
  findings.same("books", asLevels(depth.asks), levels("SELL"), "asks");
  // Orders changed in the last round, one by one through the API.
  const touched = [...world.tracked.values()].filter((t) => t.touched);
  await pooled(touched, 16, async (t) => {
    const res = await remote.signed(world.keys[t.worker]!, "GET", "/papi/v1/cm/order", {
      symbol: SYMBOL,
      orderId: t.id,
    });
    const row = byId.get(t.id);
    const stored = row && {
      status: row.status,
      executedQty: row.executed_qty,
      origQty: row.orig_qty,
      priceTicks: row.price,
    };
    findings.same(
      "acknowledged",
      res.status === 200 ? ackOf(res.body) : res.text,
      stored,
      `GET order ${t.id}`,
    );
    t.touched = false;
  });
  // Orders sent but never answered either happened in full or not at all.
  await pooled(world.unanswered.splice(0), 16, async ({ worker, clientOrderId }) => {
    const res = await remote.signed(world.keys[worker]!, "GET", "/papi/v1/cm/order", {
      symbol: SYMBOL,
      origClientOrderId: clientOrderId,
    });
    if (res.status === 200) {
      const id = (res.body as { orderId: number }).orderId;
      findings.same("acknowledged", byId.get(id)?.client_order_id, clientOrderId, `unanswered order ${id}`);
    } else
      findings.same("acknowledged", res.body, { code: -2013, msg: "Order does not exist." }, clientOrderId);
  });
}

function bestLevel(dir: string, side: "BUY" | "SELL"): OrderRow[] {
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
  try {
    const resting = db
      .prepare<[string], OrderRow>("SELECT * FROM orders WHERE active = 1 AND side = ?")
      .all(side);
    const best =
      side === "BUY" ? Math.max(...resting.map((o) => o.price)) : Math.min(...resting.map((o) => o.price));
    return resting.filter((o) => o.price === best).sort((a, b) => a.seq - b.seq);
  } finally {
    db.close();
  }
}

function makersOf(dir: string, takerOrderId: number): Array<{ order_id: number; qty: number }> {
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
  try {
    return db
      .prepare<[number], { order_id: number; qty: number }>(
        `SELECT m.order_id, m.qty FROM trades t JOIN trades m ON m.trade_id = t.trade_id AND m.maker = 1
         WHERE t.order_id = ? AND t.maker = 0 ORDER BY t.trade_id`,
      )
      .all(takerOrderId);
  } finally {
    db.close();
  }
}

/** A crossing order takes the best level's orders oldest first, as rebuilt from the store. */
async function checkPriority(world: World, remote: Remote, side: "BUY" | "SELL"): Promise<void> {
  const [first, second] = bestLevel(world.dir, side);
  world.findings.check("priority", first !== undefined, () => `the ${side} book is empty`);
  if (!first) return;
  const remaining = (o: OrderRow) => o.orig_qty - o.executed_qty;
  const res = await remote.signed(world.prober, "POST", "/papi/v1/cm/order", {
    symbol: SYMBOL,
    side: side === "BUY" ? "SELL" : "BUY",
    type: "LIMIT",
    timeInForce: "IOC",
    quantity: remaining(first) + (second ? 1 : 0),
    price: first.price / TICKS,
    newOrderRespType: "RESULT",
  });
  world.findings.same("priority", (res.body as { status?: string }).status, "FILLED", res.text);
  const expected = [{ order_id: first.id, qty: remaining(first) }];
  if (second) expected.push({ order_id: second.id, qty: 1 });
  const taker = (res.body as { orderId?: number }).orderId ?? 0;
  world.findings.same("priority", makersOf(world.dir, taker), expected, `the ${side} level, oldest first`);
}

/** Deep levels outside the clients' prices keep both books non-empty for the priority check. */
async function placeDeepLevels(world: World, remote: Remote): Promise<void> {
  for (const [side, price] of [
    ["BUY", 29900],
    ["SELL", 30100],
  ] as const) {
    for (let i = 0; i < 3; i++) {
      const res = await remote.signed(world.prober, "POST", "/papi/v1/cm/order", {
        symbol: SYMBOL,
        side,
        type: "LIMIT",
        timeInForce: "GTC",
        quantity: 50,
        price,
      });
      if (res.status !== 200) throw new Error(`deep level not placed: ${res.text}`);
    }
  }
}

/** Rounds of load and kill -9, each followed by a restart and the checks; the priority check last. */
async function scenario(world: World): Promise<void> {
  const rnd = random(SEED);
  const args = ["--admin-token", TOKEN, "--no-rate-limits"];
  for (let round = 0; round <= ROUNDS; round++) {
    venue = await spawnVenue(world.dir, { args });
    const remote = new Remote(venue.base, TOKEN);
    if (round === 0) {
      world.keys = await Promise.all(
        Array.from({ length: WORKERS }, () => remote.createAccount({ BTC: "1000" })),
      );
      world.prober = await remote.createAccount({ BTC: "1000" });
      await placeDeepLevels(world, remote);
    } else await verify(world, remote);
    if (round === ROUNDS) {
      await checkPriority(world, remote, "BUY");
      await checkPriority(world, remote, "SELL");
      return;
    }
    const workers = world.keys.map((_, w) => runWorker(world, remote, w, round, Math.floor(rnd() * 2 ** 31)));
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.floor(rnd() * 700)));
    await venue.kill9();
    await Promise.all(workers);
  }
}

describe("kill -9 under load", () => {
  const world = new World(tempDir());
  beforeAll(() => scenario(world), 120_000);
  afterAll(async () => {
    await venue?.kill9();
  });

  it("drives fills, modifies and cancels, and kills with requests in flight", () => {
    const { acknowledged, fills, modifies, cancels, inflightAtKill } = world.counts;
    expect(Math.min(acknowledged, fills, modifies, cancels)).toBeGreaterThan(50);
    expect(inflightAtKill).toBeGreaterThanOrEqual(ROUNDS);
  });

  it("answers every order request with 200 or an expected refusal, never a 5xx", () => {
    expect(world.findings.of("answers")).toEqual([]);
  });

  it("keeps every acknowledged order, cancel and modify with at least its acknowledged progress", () => {
    expect(world.findings.of("acknowledged")).toEqual([]);
  });

  it("commits a history that agrees with itself: fills are trades, each with two sides, positions their sum", () => {
    expect(world.findings.of("history")).toEqual([]);
  });

  it("rebuilds books that equal the store's active orders", () => {
    expect(world.findings.of("books")).toEqual([]);
  });

  it("never gives an order id twice, across restarts", () => {
    expect(world.findings.of("ids")).toEqual([]);
  });

  it("keeps price-time priority in the rebuilt books", () => {
    expect(world.findings.of("priority")).toEqual([]);
  });

  it("keeps aggregates, candles and the book update counter in step with the trades", () => {
    expect(world.findings.of("market")).toEqual([]);
  });
});
