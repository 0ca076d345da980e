// Waiting, in real time, for something another process or socket does: polled every
// 20 ms, and a failure naming what never came after `ms`.

export async function until(done: () => boolean, what: string, ms = 5000): Promise<void> {
  for (let waited = 0; !done(); waited += 20) {
    if (waited >= ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
