// A start that fails says what failed and what to do, in one line on stderr, exits 1, and
// leaves no new file behind: not in a new folder (which is not made), not in an existing one.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { spawnVenue } from "../support/child-venue.js";
import { folderState, runCli } from "../support/cli-run.js";
import { tempDir } from "../support/harness.js";

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A port something else listens on. */
async function busyPort(): Promise<number> {
  const server = net.createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

const isRoot = process.getuid?.() === 0;

describe("a start that fails", () => {
  it("on a port in use names the address, exits 1, and makes no data folder", async () => {
    const port = await busyPort();
    const dir = path.join(tempDir(), "data");
    const run = await runCli(["serve", "--port", String(port), "--data", dir]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `papi-venue: cannot listen on 127.0.0.1:${port}: the port is in use (another venue or program listens there); stop it or pass another --port\n`,
    });
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("on a port in use adds no file to an existing folder and leaves its database as it was", async () => {
    const dir = tempDir();
    // A folder a venue has run on: it holds a database, a lock file and a token.
    const earlier = await spawnVenue(dir);
    earlier.child.kill("SIGTERM");
    expect((await earlier.exited).code).toBe(0);
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine\n");
    const before = folderState(dir);
    const run = await runCli(["serve", "--port", String(await busyPort()), "--data", dir]);
    expect(run.code).toBe(1);
    expect(folderState(dir)).toEqual(before);
  });

  it("on a data folder that is a file says so", async () => {
    const file = path.join(tempDir(), "data");
    fs.writeFileSync(file, "not a folder\n");
    const run = await runCli(["serve", "--port", "0", "--data", file]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `papi-venue: data folder ${file} is a file, not a folder; pass --data naming a folder (it is made if missing)\n`,
    });
    expect(fs.readFileSync(file, "utf8")).toBe("not a folder\n");
  });

  it("on a data folder under a file says part of its path is a file", async () => {
    const file = path.join(tempDir(), "file");
    fs.writeFileSync(file, "");
    const run = await runCli(["serve", "--port", "0", "--data", path.join(file, "data")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `papi-venue: data folder ${path.join(file, "data")} cannot be made: part of its path is a file; pass --data naming a folder\n`,
    );
  });

  it("on a data folder it may not write in says so and writes nothing", async () => {
    const dir = path.join(tempDir(), "data");
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o555);
    const run = await runCli(["serve", "--port", "0", "--data", dir], { withoutRootOverride: isRoot });
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `papi-venue: cannot write in data folder ${dir} (permission denied); fix its permissions or pass another --data\n`,
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("on a database that cannot be opened names it, and adds no file", async () => {
    const dir = tempDir();
    const database = path.join(dir, "venue.db");
    fs.writeFileSync(database, "this is not an SQLite database, just text long enough to have a header\n");
    const before = folderState(dir);
    const run = await runCli(["serve", "--port", "0", "--data", dir]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `papi-venue: cannot open the database ${database}: file is not a database; move it away (a new one is made) or pass another --data\n`,
    });
    expect(folderState(dir)).toEqual(before);
  });

  it("on an address this machine does not have says so", async () => {
    const dir = path.join(tempDir(), "data");
    // 192.0.2.0/24 is TEST-NET-1: documentation only, on no machine's interface.
    const run = await runCli(["serve", "--host", "192.0.2.1", "--port", "0", "--data", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "papi-venue: cannot listen on 192.0.2.1:0: this machine has no such address; pass a --host it has (127.0.0.1 by default)\n",
    );
    expect(fs.existsSync(dir)).toBe(false);
  });
});
