// The package as npm users get it: `npm pack` builds and packs the venue, and the tarball
// runs with npx in a folder of its own, installing its dependencies as npm does; and no
// package of the project's dependency tree asks for a newer Node than the project's.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { tempDir } from "../support/harness.js";
import { Remote } from "../support/remote.js";

const manifest = JSON.parse(fs.readFileSync("package.json", "utf8")) as {
  name: string;
  version: string;
  engines: { node: string };
  private?: boolean;
  license: string;
  bin: Record<string, string>;
};

/** The environment without what `npm test` sets for its own script, so nested npm runs as a user's would. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

/**
 * Packs a copy of the checkout: `prepack` empties and rebuilds dist/, which the other tests
 * run from, so it runs in a folder of its own (with this checkout's node_modules).
 */
function pack(): string {
  const copy = tempDir();
  for (const entry of [
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "tsconfig.build.json",
    "README.md",
    "LICENSE",
    "src",
  ])
    fs.cpSync(entry, path.join(copy, entry), { recursive: true });
  fs.symlinkSync(path.resolve("node_modules"), path.join(copy, "node_modules"));
  const out = tempDir();
  const name = execFileSync("npm", ["pack", "--pack-destination", out, "--silent"], {
    cwd: copy,
    env: userEnv(),
    encoding: "utf8",
  }).trim();
  return path.join(out, name.split("\n").at(-1)!);
}

describe("the npm package", () => {
  it("is not private and keeps its name, version, license and bin", () => {
    expect(manifest.private).toBeUndefined();
    expect([manifest.name, manifest.license, manifest.bin]).toEqual([
      "papi-venue",
      "MIT",
      { "papi-venue": "dist/cli.js" },
    ]);
  });

  it("packs the built venue, the console's files, README and LICENSE, and nothing of the tests, benchmarks or sources", () => {
    const tarball = pack();
    expect(path.basename(tarball)).toBe(`papi-venue-${manifest.version}.tgz`);
    const files = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" }).trim().split("\n");
    for (const file of [
      "package/package.json",
      "package/README.md",
      "package/LICENSE",
      "package/dist/cli.js",
    ])
      expect(files).toContain(file);
    expect(files).toContain("package/dist/venue/venue.js");
    expect(files).toContain("package/src/console/index.html");
    expect(
      files.filter(
        (f) =>
          !/^package\/(dist\/.+\.js|package\.json|README\.md|LICENSE|src\/console\/[a-z-]+\.(html|css|js|md)|src\/console\/README\.md)$/.test(
            f,
          ),
      ),
    ).toEqual([]);
  }, 120_000);

  it("runs from its tarball with npx in a folder of its own", async () => {
    const tarball = pack();
    const folder = tempDir();
    fs.copyFileSync(tarball, path.join(folder, path.basename(tarball)));
    const child = spawn(
      "npx",
      ["--yes", `./${path.basename(tarball)}`, "serve", "--port", "0", "--data", "D"],
      {
        cwd: folder,
        // A cache of its own: npx would otherwise run an earlier install of the same name and version.
        env: { ...userEnv(), npm_config_cache: tempDir() },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        const check = () => {
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        };
        child.stdout.on("data", check);
        void exited.then((code) => reject(new Error(`npx exited with ${code}: ${err}`)));
      });
      const token = fs.readFileSync(path.join(folder, "D", "admin-token"), "utf8").trim();
      const remote = new Remote(base, token);
      const key = await remote.createAccount({ BTC: "1" });
      const placed = await remote.signed(key, "POST", "/papi/v1/cm/order", {
        symbol: "BTCUSD_PERP",
        side: "BUY",
        type: "LIMIT",
        timeInForce: "GTC",
        quantity: 1,
        price: "30000",
      });
      expect(placed.body).toMatchObject({ status: "NEW", orderId: 1 });
      // The console is served from the installed package, its chart libraries too.
      for (const file of ["", "console.js", "lightweight-charts.standalone.production.mjs", "uPlot.esm.js"])
        expect((await fetch(`${base}/console/${file}`)).status, file).toBe(200);
      expect(out).toContain(`data folder: ${path.join(folder, "D")} (SQLite)`);
      // The install of the package's own dependency tree raised no engine warning.
      expect(err).not.toContain("EBADENGINE");
    } finally {
      // npx runs the venue as its child: signal the whole group.
      if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
      await exited;
    }
  }, 400_000);

  it("has no dependency that asks for a newer Node than the project's engines allow", () => {
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8")) as {
      packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean }>;
    };
    const lowest = semver.minVersion(manifest.engines.node)!.version;
    const misfits: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      const wanted = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (wanted === undefined || where === "") continue;
      // What a user installs must run on the oldest Node the project names; the tools of
      // the test suite on the Node that runs it.
      const node = entry.dev ? process.versions.node : lowest;
      if (!semver.satisfies(node, wanted)) misfits.push(`${where} wants node ${wanted}, not ${node}`);
    }
    expect(misfits).toEqual([]);
  });
});
