// A WebSocket text frame as a server sends it (RFC 6455, section 5.2): FIN and the text
// opcode, no mask, and the payload length in 7 bits, or 126 and 16 bits, or 127 and 64
// bits. The market streams build each event's frame once and write it to every
// subscriber's socket (market-sockets.ts): ws would frame the same bytes again for each
// socket, and its framing is not part of its typed API.

/** The frame of a text message, ready to write to a socket. */
export function textFrame(text: string): Buffer {
  const payload = Buffer.byteLength(text);
  const header = payload < 126 ? 2 : payload < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + payload);
  frame[0] = 0x81;
  if (payload < 126) frame[1] = payload;
  else if (payload < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(payload, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(payload), 2);
  }
  frame.write(text, header, "utf8");
  return frame;
}
