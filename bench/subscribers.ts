// The fan-out benchmark's audience, in a process of its own: N WebSocket clients on one
// venue's `/stream`, each subscribed to the same streams, counting what they receive
// without parsing it. The first one also keeps a local book by Binance's COIN-M steps
// (buffer the diffs, take a REST snapshot, apply the diffs after it, demand pu = the
// previous u), so that after the timing the run can check it against the venue's book.
// Driven over IPC: "count" answers the events received so far, "book" the local book.

import WebSocket from "ws";

const [httpUrl, countText, streams] = process.argv.slice(2) as [string, string, string];
const COUNT = Number(countText);
const SYMBOL = "BTCUSD_PERP";

interface Diff {
  readonly U: number;
  readonly u: number;
  readonly pu: number;
  readonly b: [string, string][];
  readonly a: [string, string][];
}

interface Snapshot {
  readonly lastUpdateId: number;
  readonly bids: [string, string][];
  readonly asks: [string, string][];
}

let received = 0;
const buffered: Diff[] = [];
const sockets: WebSocket[] = [];

function open(keeper: boolean): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${httpUrl.replace(/^http/, "ws")}/stream?streams=${streams}`, {
      perMessageDeflate: false,
    });
    ws.on("message", (data) => {
      received++;
      if (!keeper) return;
      const event = JSON.parse(data.toString()) as { data: { e: string } & Diff };
      if (event.data.e === "depthUpdate") buffered.push(event.data);
    });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

function localBook(snap: Snapshot): { bids: [string, string][]; asks: [string, string][]; applied: number } {
  const bids = new Map(snap.bids);
  const asks = new Map(snap.asks);
  let previous: number | undefined;
  let applied = 0;
  for (const e of buffered) {
    if (e.u < snap.lastUpdateId) continue;
    if (previous === undefined) {
      if (!(e.U <= snap.lastUpdateId && e.u >= snap.lastUpdateId) && e.pu !== snap.lastUpdateId)
        throw new Error(`the first diff after the snapshot does not cover it: ${JSON.stringify(e)}`);
    } else if (e.pu !== previous) throw new Error(`a diff's pu ${e.pu} is not the previous u ${previous}`);
    previous = e.u;
    applied++;
    for (const [side, levels] of [
      [bids, e.b],
      [asks, e.a],
    ] as const) {
      for (const [price, qty] of levels) {
        if (Number(qty) === 0) side.delete(price);
        else side.set(price, qty);
      }
    }
  }
  const sorted = (m: Map<string, string>, descending: boolean) =>
    [...m].sort((x, y) => (descending ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));
  return { bids: sorted(bids, true), asks: sorted(asks, false), applied };
}

async function main(): Promise<void> {
  sockets.push(await open(true));
  // Connect the rest a few dozen at a time, as clients arriving.
  while (sockets.length < COUNT) {
    const batch = Math.min(50, COUNT - sockets.length);
    sockets.push(...(await Promise.all(Array.from({ length: batch }, () => open(false)))));
  }
  const snap = (await (
    await fetch(`${httpUrl}/dapi/v1/depth?symbol=${SYMBOL}&limit=1000`)
  ).json()) as Snapshot;
  process.on("message", (m: { cmd: string }) => {
    if (m.cmd === "count") process.send!({ received });
    else if (m.cmd === "book") {
      try {
        process.send!({ book: localBook(snap) });
      } catch (error) {
        process.send!({ error: String(error) });
      }
    } else if (m.cmd === "close") {
      for (const ws of sockets) ws.terminate();
      process.exit(0);
    }
  });
  process.send!({ ready: sockets.length });
}

await main();
