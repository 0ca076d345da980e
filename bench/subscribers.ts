// The fan-out benchmark's audience, in a process of its own: N WebSocket clients on one
// venue's `/stream`, each subscribed to the same streams, counting the events they
// receive (all but the first read only the frames' headers). The first one, a full
// client, also keeps a local book by Binance's COIN-M steps (buffer the diffs, take a
// REST snapshot, apply the diffs after it, demand pu = the previous u), so that after
// the timing the run can check it against the venue's book.
// Driven over IPC: "count" answers the events received so far, "book" the local book.

import { randomBytes } from "node:crypto";
import net from "node:net";
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
const sockets: { terminate(): void }[] = [];
/** The counters' one read buffer (see counter()). */
const READ_BUFFER = Buffer.alloc(256 * 1024);
const url = new URL(`${httpUrl}/stream?streams=${streams}`);

/** The keeper: a real WebSocket client, which parses each event and buffers the diffs. */
function keeper(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.href.replace(/^http/, "ws"), { perMessageDeflate: false });
    ws.on("message", (data) => {
      received++;
      const event = JSON.parse(data.toString()) as { data: { e: string } & Diff };
      if (event.data.e === "depthUpdate") buffered.push(event.data);
    });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/**
 * Every other subscriber: a WebSocket handshake on a plain socket, then only the frame
 * headers are read, to count the text frames the venue sends; their bodies are skipped
 * unread. It takes what a client elsewhere would take, at a fraction of a full client's
 * CPU on the venue's machine.
 */
function counter(): Promise<{ terminate(): void }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({
      port: Number(url.port),
      host: url.hostname,
      // Every counter reads into the one buffer below: nothing is allocated per read.
      onread: {
        buffer: READ_BUFFER,
        callback: (n: number, buffer: Uint8Array) => {
          arrived(Buffer.from(buffer.buffer, buffer.byteOffset, n));
          return true;
        },
      },
    });
    let handshake = "";
    let upgraded = false;
    /** Payload bytes of the current frame still to skip; a header split across reads waits in `partial`. */
    let skip = 0;
    let partial: Buffer | undefined;
    const frames = (chunk: Buffer) => {
      const data = partial ? Buffer.concat([partial, chunk]) : chunk;
      partial = undefined;
      let at = 0;
      while (at < data.length) {
        if (skip > 0) {
          const taken = Math.min(skip, data.length - at);
          skip -= taken;
          at += taken;
          continue;
        }
        if (data.length - at < 2) break;
        const short = data[at + 1]! & 0x7f;
        const header = short < 126 ? 2 : short === 126 ? 4 : 10;
        if (data.length - at < header) break;
        const length =
          short < 126
            ? short
            : short === 126
              ? data.readUInt16BE(at + 2)
              : Number(data.readBigUInt64BE(at + 2));
        if ((data[at]! & 0x0f) === 1) received++;
        at += header;
        skip = length;
      }
      // A copy: the read buffer is reused.
      if (at < data.length) partial = Buffer.from(data.subarray(at));
    };
    const arrived = (chunk: Buffer) => {
      if (upgraded) return frames(chunk);
      handshake += chunk.toString("latin1");
      const end = handshake.indexOf("\r\n\r\n");
      if (end < 0) return;
      if (!handshake.startsWith("HTTP/1.1 101")) return reject(new Error(handshake.split("\r\n")[0]));
      upgraded = true;
      resolve({ terminate: () => socket.destroy() });
      const rest = Buffer.from(handshake.slice(end + 4), "latin1");
      if (rest.length > 0) frames(rest);
    };
    socket.once("error", reject);
    socket.write(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\n` +
        "Sec-WebSocket-Version: 13\r\n\r\n",
    );
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
  sockets.push(await keeper());
  // Connect the rest a few dozen at a time, as clients arriving.
  while (sockets.length < COUNT) {
    const batch = Math.min(50, COUNT - sockets.length);
    sockets.push(...(await Promise.all(Array.from({ length: batch }, () => counter()))));
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
