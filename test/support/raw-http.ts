// HTTP/1.1 over a bare loopback socket, for requests no well-behaved client would send:
// broken request lines, raw non-ASCII bytes, conflicting lengths, partial requests. It
// writes the bytes as given, reads one answer, and fails if none comes in time (a hang).

import net from "node:net";

export interface RawAnswer {
  readonly status: number;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RawOptions {
  /** Fail when no complete answer has come by then. */
  readonly timeoutMs?: number;
  /** Half-close after writing, so the server sees the end of what was sent. */
  readonly end?: boolean;
  /** The request was HEAD: the answer has headers only, whatever its Content-Length says. */
  readonly head?: boolean;
}

/** One request, one answer; undefined when the server closed without answering. */
export function rawExchange(
  port: number,
  request: string | Buffer,
  options: RawOptions = {},
): Promise<RawAnswer | undefined> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let data = Buffer.alloc(0);
    let done = false;
    const finish = (error: Error | undefined, answer?: RawAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(answer);
    };
    const timer = setTimeout(
      () => finish(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(preview(request))}`)),
      timeoutMs,
    );
    socket.on("connect", () => {
      socket.write(request);
      if (options.end) socket.end();
    });
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const answer = parse(data, false, options.head ?? false);
      if (answer) finish(undefined, answer);
    });
    socket.on("close", () => {
      if (data.length === 0) return finish(undefined, undefined);
      const answer = parse(data, true, options.head ?? false);
      if (answer) finish(undefined, answer);
      else finish(new Error(`incomplete answer: ${JSON.stringify(data.toString("latin1"))}`));
    });
    // A reset after the answer is normal when the server closes a request it refused.
    socket.on("error", () => {});
  });
}

function preview(request: string | Buffer): string {
  const text = typeof request === "string" ? request : request.toString("latin1");
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** A complete answer in `data`, if there is one yet (`closed`: the server closed the socket). */
function parse(data: Buffer, closed: boolean, head: boolean): RawAnswer | undefined {
  const end = data.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const lines = data.subarray(0, end).toString("latin1").split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "");
  if (!m) throw new Error(`not an HTTP answer: ${JSON.stringify(lines[0])}`);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let rest = data.subarray(end + 4);
  const status = Number(m[1]);
  // 1xx answers precede the real one.
  if (status >= 100 && status < 200 && status !== 101) return parse(rest, closed, head);
  if (head) return { status, headers, body: "" };
  const length = headers["content-length"];
  if (length !== undefined) {
    if (rest.length < Number(length)) return undefined;
    return { status, headers, body: rest.subarray(0, Number(length)).toString("utf8") };
  }
  if (headers["transfer-encoding"]?.toLowerCase() === "chunked") {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = rest.indexOf("\r\n");
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(rest.subarray(0, lineEnd).toString("latin1"), 16);
      if (size === 0) return { status, headers, body: Buffer.concat(parts).toString("utf8") };
      if (rest.length < lineEnd + 2 + size + 2) return undefined;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      rest = rest.subarray(lineEnd + 2 + size + 2);
    }
  }
  if (status === 101 || status === 204 || status === 304) return { status, headers, body: "" };
  return closed ? { status, headers, body: rest.toString("utf8") } : undefined;
}
