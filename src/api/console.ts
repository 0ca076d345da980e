// The web console's files on the venue's own port: /console/ serves src/console (its page,
// script and styles, no build step) and, beside them, lightweight-charts' standalone
// module from the npm package, so the console works offline; `/` leads to it. The files
// sit in the package beside dist/, so the path is found from this module's own place.

import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** src/console, from src/api (run by tests) or dist/api (built). */
const CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "console");
/** The chart library's dist folder, found beside its package.json as Node resolves it. */
const CHARTS_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve("lightweight-charts/package.json")),
  "dist",
);

export function registerConsole(app: FastifyInstance): void {
  app.register(fastifyStatic, {
    root: [CONSOLE_DIR, CHARTS_DIR],
    prefix: "/console/",
    index: "index.html",
    // Only the files named here are served from the chart library's folder.
    allowedPath: (pathName) =>
      !pathName.includes("lightweight-charts") || pathName.endsWith(".standalone.production.mjs"),
  });
  app.get("/", (_req, reply) => reply.redirect("/console/"));
  app.get("/console", (_req, reply) => reply.redirect("/console/"));
}
