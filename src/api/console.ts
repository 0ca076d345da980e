// The web console's files on the venue's own port: /console/ serves src/console (its
// page, script and styles, no build step) and, beside them, the chart libraries' modules
// (lightweight-charts for prices, uPlot for the depth chart) from their npm packages, so
// the console works offline; `/` leads to it. The files sit in the package beside dist/,
// so the path is found from this module's own place.

import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** src/console, from src/api (run by tests) or dist/api (built). */
const CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "console");
/** A package's dist folder, found beside its package.json as Node resolves it. */
const distOf = (name: string) =>
  path.join(path.dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)), "dist");
/** The chart libraries' files the console loads, and only those, from their packages. */
const LIBRARY_FILES = new Set([
  "lightweight-charts.standalone.production.mjs",
  "uPlot.esm.js",
  "uPlot.min.css",
]);

export function registerConsole(app: FastifyInstance): void {
  app.register(fastifyStatic, {
    root: [CONSOLE_DIR, distOf("lightweight-charts"), distOf("uplot")],
    prefix: "/console/",
    index: "index.html",
    // The console's own files, and of the libraries' folders only the files it loads.
    allowedPath: (pathName) => {
      const file = path.basename(pathName);
      return LIBRARY_FILES.has(file) || !/lightweight-charts|uPlot/.test(file);
    },
  });
  app.get("/", (_req, reply) => reply.redirect("/console/"));
  app.get("/console", (_req, reply) => reply.redirect("/console/"));
}
