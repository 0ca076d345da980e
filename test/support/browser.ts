/// <reference lib="dom" />
// The real browser the console tests drive: Debian's chromium, installed by the
// project's own script when it is missing (scripts/install-browser.sh; nothing is
// downloaded from elsewhere), driven by puppeteer-core. Pages log their console errors
// and uncaught exceptions, so a test can say there were none.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { type LiveVenue, startLiveVenue } from "./live-venue.js";

const CHROMIUM = "/usr/bin/chromium";

export function ensureBrowser(): string {
  if (!fs.existsSync(CHROMIUM))
    execFileSync("bash", [path.resolve("scripts/install-browser.sh")], {
      stdio: "inherit",
      timeout: 600_000,
    });
  return CHROMIUM;
}

export function launch(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: ensureBrowser(),
    headless: true,
    // As root in a container: Chromium's sandbox needs namespaces it may not have here.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}

export interface WatchedPage {
  readonly page: Page;
  /** Console errors and uncaught exceptions, as text. */
  readonly errors: string[];
}

export async function openPage(
  browser: Browser,
  url: string,
  width = 1280,
  height = 800,
): Promise<WatchedPage> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.setViewport({ width, height });
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, { timeout: 10_000 });
  return { page, errors };
}

export interface ConsoleRig {
  readonly browser: Browser;
  readonly venue: LiveVenue;
  /** Opens a page of the venue in a viewport of its own; it is closed after the test. */
  open(path?: string, width?: number, height?: number): Promise<WatchedPage>;
}

/**
 * A browser and a live venue for a file's console tests, started once before them
 * (`setup` then makes the accounts and orders they share) and closed after; each test's
 * pages are closed when it ends.
 */
export function useConsole(setup: (venue: LiveVenue) => Promise<void> = async () => {}): ConsoleRig {
  const pages: WatchedPage[] = [];
  const rig = {
    open: async (at = "/console/", width = 1280, height = 800) => {
      const watched = await openPage(rig.browser, `${rig.venue.url}${at}`, width, height);
      pages.push(watched);
      return watched;
    },
  } as { browser: Browser; venue: LiveVenue } & Pick<ConsoleRig, "open">;
  beforeAll(async () => {
    [rig.browser, rig.venue] = await Promise.all([launch(), startLiveVenue()]);
    await setup(rig.venue);
  }, 60_000);
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.page.close();
  });
  afterAll(async () => {
    await rig.browser?.close();
    await rig.venue?.close();
  });
  return rig;
}
