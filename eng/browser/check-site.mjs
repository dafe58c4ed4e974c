// Loads every page of the built docs site (docs/_site) in headless Chromium, served on 127.0.0.1 as a reader would
// open it, and fails on a console error or uncaught exception, a request the site answers with an error, a link to a
// page of the site that does not exist, or an image that does not load. Saves screenshots of two pages.
// Usage: node eng/browser/check-site.mjs SITE_DIR SCREENSHOT_DIR
import { chromium } from "playwright-core";
import { mkdir } from "node:fs/promises";
import { serve } from "./serve.mjs";

const [site, shots] = process.argv.slice(2);
if (!site || !shots) {
  console.error("usage: node check-site.mjs SITE_DIR SCREENSHOT_DIR");
  process.exit(2);
}

await mkdir(shots, { recursive: true });
const server = await serve(site);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const problems = [];
let current = "";
page.on("console", (m) => { if (m.type() === "error") problems.push(`${current}: console error: ${m.text()}`); });
page.on("pageerror", (e) => problems.push(`${current}: uncaught ${e.message}`));
page.on("response", (r) => {
  if (r.url().startsWith(server.url) && r.status() >= 400) problems.push(`${current}: ${r.status()} for ${r.url()}`);
});
page.on("requestfailed", (r) => {
  if (r.url().startsWith(server.url)) problems.push(`${current}: request failed: ${r.url()}`);
});

const queue = ["index.html"];
const seen = new Set(queue);
while (queue.length > 0) {
  current = queue.shift();
  const response = await page.goto(server.url + current, { waitUntil: "networkidle" });
  if (!response || response.status() !== 200) {
    problems.push(`${current}: ${response ? response.status() : "no response"}`);
    continue;
  }
  const found = await page.evaluate(() => ({
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    broken: [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.currentSrc || i.src),
  }));
  for (const image of found.broken) problems.push(`${current}: image does not load: ${image}`);
  for (const link of found.links) {
    if (!link.startsWith(server.url)) continue;
    const target = new URL(link);
    const path = decodeURIComponent(target.pathname.slice(1)) || "index.html";
    if (seen.has(path)) continue;
    seen.add(path);
    if (path.endsWith(".html") || path.endsWith("/")) {
      queue.push(path);
    } else {
      const r = await fetch(server.url + path);
      if (r.status !== 200) problems.push(`${current}: broken link to ${path} (${r.status})`);
    }
  }
}

for (const [name, path] of [["index", "index.html"], ["backpropagation", "articles/backpropagation.html"],
  ["learned-features", "articles/learned-features.html"], ["api", "api/DeepLearning.Layers.Dense-1.html"]]) {
  current = path;
  await page.goto(server.url + path, { waitUntil: "networkidle" });
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: false });
}

await browser.close();
server.close();
if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`site check: ${problems.length} problem(s) on ${seen.size} pages and files`);
  process.exit(1);
}
console.log(`site check: ${seen.size} pages and files loaded in Chromium, no console error, broken link or missing image`);
