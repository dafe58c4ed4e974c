// End-to-end check of the published playground (the Digits and Names pages' checks are at the end): serves the folder on 127.0.0.1, opens automation URLs in headless
// Chromium at PATH (the playground's folder in the site, e.g. playground/index.html; the folder's root when left out),
// waits for data-done="true" on #playground, reads #train-loss, #test-loss and #steps-per-second, checks the losses
// against thresholds, fails on any console error, and saves a screenshot of each run. First it loads the page once as a
// new reader does and checks what that first load transfers (at most 10 MB, from a plain static server, no compression),
// printing how long the page took to become interactive (a measurement, not a check: this machine is noisy). With
// COMPRESSED_SITE_URL set to eng/SiteServer serving the same folder, it measures that first load too, as a class gets it
// from eng/serve-site.sh: at most 4 MB, with the large files sent compressed.
// Usage: [COMPRESSED_SITE_URL=http://127.0.0.1:PORT/] node eng/browser/check-playground.mjs SITE_DIR SCREENSHOT_DIR [PATH]
import { chromium } from "playwright-core";
import { mkdir } from "node:fs/promises";
import { serve } from "./serve.mjs";

const [site, shots, path = ""] = process.argv.slice(2);
if (!site || !shots) {
  console.error("usage: node check-playground.mjs SITE_DIR SCREENSHOT_DIR [PATH]");
  process.exit(2);
}
const FirstLoadLimit = 10_000_000;
const CompressedFirstLoadLimit = 4_000_000;

// Thresholds set from measurement on the development machine (2-core x64, Chromium 156; the closing note of issue 13):
// XOR ended at training/test losses 0.2076/0.1880 after its 300 steps (untrained: about 0.69), the noiseless spirals at
// 0.0072/0.0079 after 5,000, the curve at mean squared errors 0.0164/0.0147 after 3,000 (its noise alone is 0.01). The runs are deterministic; the margins are for other browsers' last digits only.
const runs = [
  { name: "xor", query: "dataset=xor&layers=4&activation=tanh&learningRate=0.3&seed=1&steps=300&autoplay=true",
    maxTrain: 0.25, maxTest: 0.25, explain: true },
  { name: "spiral", query: "dataset=spiral&noise=0&layers=8,8&activation=tanh&learningRate=0.3&seed=1&steps=5000&autoplay=true",
    maxTrain: 0.02, maxTest: 0.02 },
  // The speed figure: a 2-8-8-1 network, batch 10 (#steps-per-second counts the training slices, not the rendering).
  { name: "speed", query: "dataset=circle&layers=8,8&activation=tanh&learningRate=0.03&batchSize=10&seed=1&steps=5000&autoplay=true",
    maxTrain: 0.2, maxTest: 0.2 },
  { name: "curve", query: "dataset=curve&layers=8,8&activation=tanh&learningRate=0.03&seed=1&steps=3000&autoplay=true",
    maxTrain: 0.03, maxTest: 0.03 },
  // Dropout after both hidden layers: the explained step (computed once, with the step's mask) is the step taken. In
  // .NET the same run ends at 0.0335/0.0501.
  { name: "dropout", query: "dataset=xor&layers=8,8&activation=tanh&learningRate=0.3&dropout=0.1&seed=1&steps=3000&autoplay=true",
    maxTrain: 0.05, maxTest: 0.07, explain: true },
  { name: "diverging", query: "dataset=curve&layers=8,8&activation=relu&learningRate=10&seed=1&autoplay=true",
    diverges: true },
  { name: "bad-url", query: "dataset=moon&layers=9,x&learningRate=abc&seed=1&steps=50&autoplay=true",
    maxTrain: 1, maxTest: 1, notes: 3 },
  // Each data set's starting settings, with nothing but the data set in the address: a test loss of 0.1 within 5,000
  // steps (measured in .NET on seed 1: circle 0.073, xor, gauss and curve lower, spiral 0.054).
  ...["circle", "xor", "spiral", "gauss", "curve"].map((name) => (
    { name: `start-${name}`, query: `dataset=${name}&steps=5000&autoplay=true`, maxTrain: 1, maxTest: 0.1 })),
];

const done = '#playground[data-done="true"]';

/** A new 1280×1100 page that collects console errors and page errors, and reads an element's trimmed text. */
async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(e.message));
  const text = async (id) => (await page.locator(id).textContent()).trim();
  return { page, errors, text };
}

await mkdir(shots, { recursive: true });
const server = await serve(site);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" });
const problems = [];

// The first load, as a new reader meets it: every byte the page fetches until it is interactive (its controls drawn), as
// sent (compressed where the server compresses). Returns the page, still open.
async function firstLoad(base, limit, label) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  let bytes = 0, files = 0, encoded = 0;
  const sizes = [];
  const pagesOwn = [];
  page.on("requestfinished", (r) => sizes.push(r.sizes().then((s) => { bytes += s.responseBodySize; files++; })));
  page.on("response", (r) => { if (r.headers()["content-encoding"]) encoded++; });
  page.on("request", (r) => { if (/\/(digits|names)\//.test(r.url())) pagesOwn.push(r.url()); });
  const started = Date.now();
  await page.goto(`${base}${path}`);
  await page.waitForSelector("#playground #play", { timeout: 120_000 });
  const seconds = (Date.now() - started) / 1000;
  await page.waitForLoadState("networkidle");
  await Promise.all(sizes);
  console.log(`first load (${label}): ${files} files, ${encoded} of them compressed, ${(bytes / 1e6).toFixed(2)} MB, interactive after ${seconds.toFixed(2)} s`);
  if (bytes > limit) problems.push(`first load (${label}) transfers ${(bytes / 1e6).toFixed(2)} MB, more than ${limit / 1e6} MB`);
  if (pagesOwn.length > 0) problems.push(`the first load fetches the Digits or Names page's own files: ${pagesOwn.join(", ")}`);
  return page;
}

if (process.env.COMPRESSED_SITE_URL) {
  const page = await firstLoad(process.env.COMPRESSED_SITE_URL, CompressedFirstLoadLimit, "eng/SiteServer, compressed");
  await page.close();
}
{
  const page = await firstLoad(server.url, FirstLoadLimit, "a plain static server");
  // The two pages link to each other.
  await page.click("nav.pages a");
  await page.waitForSelector('#playground[data-done="true"] #digit-prediction', { timeout: 120_000 });
  await page.click("nav.pages a");
  await page.waitForSelector("#playground #play", { timeout: 120_000 });
  await page.click("nav.pages a[href*=names]");
  await page.waitForSelector('#playground[data-done="true"] #generated-names li', { timeout: 120_000 });
  await page.click("nav.pages a");
  await page.waitForSelector("#playground #play", { timeout: 120_000 });
  await page.close();
}

for (const run of runs) {
  const { page, errors } = await openPage();
  const started = Date.now();
  await page.goto(`${server.url}${path}?${run.query}`);
  try {
    await page.waitForSelector('#playground[data-done="true"]', { timeout: 240_000 });
  } catch {
    problems.push(`${run.name}: #playground never got data-done="true" (${await page.locator("#step-count").textContent().catch(() => "no page")} steps)`);
  }
  const seconds = (Date.now() - started) / 1000;
  const text = async (id) => (await page.locator(id).count()) > 0 ? (await page.locator(id).textContent()).trim() : null;
  const train = Number(await text("#train-loss"));
  const test = Number(await text("#test-loss"));
  const steps = await text("#step-count");
  const rate = await text("#steps-per-second");
  await page.screenshot({ path: `${shots}/${run.name}.png`, fullPage: true });
  console.log(`${run.name}: ${steps} steps, training loss ${train}, test loss ${test}, ${rate} steps/s, ${seconds.toFixed(1)} s in all`);
  if (run.diverges) {
    const message = await text("#diverged");
    if (!message || !message.includes("smaller")) problems.push(`${run.name}: no message suggesting a smaller learning rate`);
  } else {
    if (!(train <= run.maxTrain)) problems.push(`${run.name}: training loss ${train} is not below ${run.maxTrain}`);
    if (!(test <= run.maxTest)) problems.push(`${run.name}: test loss ${test} is not below ${run.maxTest}`);
  }
  if (run.explain) {
    // Explain this step: click W1[2,3], read the predicted update, take the step, and compare with what it made.
    await page.click("#w1-2-3");
    const update = await text("#explain-update");
    await page.click("#step");
    await page.waitForSelector("#explain-check");
    const check = await text("#explain-check");
    const [predicted, actual] = check.match(/-?\d+\.\d+/g) ?? [];
    if (!update?.includes("w ← w − ε·∂L/∂w") || !predicted || predicted !== actual) {
      problems.push(`${run.name}: the step explanation does not hold: "${update}" then "${check}"`);
    }
    await page.locator("#explain").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/${run.name}-explained.png`, fullPage: true });
    console.log(`${run.name}: ${update} — ${check}`);
  }
  if (run.notes) {
    const notes = await page.locator("#notes li").count();
    if (notes !== run.notes) problems.push(`${run.name}: ${notes} notes about the URL, expected ${run.notes}`);
  }
  for (const e of errors) problems.push(`${run.name}: console error: ${e}`);
  await page.close();
}

// The Digits page: the shipped network reads the first 100 shipped test digits (each as its label, as in .NET), a drawn 1
// and a drawn 7, explains a feature-map pixel with numbers that add up, and trains a small network in the page.
{
  const { page, errors, text } = await openPage();
  let started = Date.now();
  await page.goto(`${server.url}${path}?page=digits&sample=0`);
  await page.waitForSelector(done, { timeout: 120_000 });
  console.log(`digits: test digit 0 read as ${await text("#digit-prediction")} after ${((Date.now() - started) / 1000).toFixed(2)} s`);
  await page.screenshot({ path: `${shots}/digits.png`, fullPage: true });
  const labels = (await page.locator("#sample option").allTextContents()).map((t) => Number(t.match(/a (\d)$/)[1]));
  let wrong = [];
  for (let n = 0; n < 100; n++) {
    await page.selectOption("#sample", String(n));
    await page.waitForFunction((want) => document.querySelector(".source")?.textContent.includes(`#${want},`), n);
    const digit = Number(await text("#digit-prediction"));
    let sum = 0;
    for (let d = 0; d < 10; d++) sum += Number((await text(`#probability-${d}`)).replace("%", ""));
    if (digit !== labels[n]) wrong.push(`#${n} (a ${labels[n]}) read as ${digit}`);
    if (Math.abs(sum - 100) > 0.06) problems.push(`digits: test digit ${n}'s probabilities add up to ${sum}%`);
  }
  console.log(`digits: the first 100 test digits read, ${100 - wrong.length} as their labels`);
  if (wrong.length > 0) problems.push(`digits: ${wrong.join(", ")} (the shipped network reads all of the first 100 correctly in .NET)`);

  const pad = await page.locator("#pad").boundingBox();
  const draw = async (name, want, strokes) => {
    await page.click("#clear");
    for (const stroke of strokes) {
      await page.mouse.move(pad.x + stroke[0][0], pad.y + stroke[0][1]);
      await page.mouse.down();
      for (const [x, y] of stroke) await page.mouse.move(pad.x + x, pad.y + y, { steps: 4 });
      await page.mouse.up();
    }
    await page.waitForFunction(() => document.querySelector(".source")?.textContent.includes("your drawing"));
    await page.waitForTimeout(300);
    const digit = await text("#digit-prediction");
    console.log(`digits: a drawn ${name} read as ${digit}`);
    if (digit !== want) problems.push(`digits: a drawn ${name} read as ${digit}`);
  };
  await draw("1", "1", [[[140, 40], [145, 140], [150, 240]]]);
  await draw("7", "7", [[[70, 60], [210, 60], [170, 160], [130, 260]]]);
  await page.screenshot({ path: `${shots}/digits-drawn.png`, fullPage: true });

  await page.locator("#map-3-2").click({ position: { x: 31, y: 22 } });
  await page.waitForSelector("#explain-z");
  const z = Number((await text("#explain-z")).split(" = ").at(-1));
  const a = Number((await text("#explain-a")).split(" = ").at(-1));
  const field = await page.locator("#receptive-field").count();
  console.log(`digits: ${await text("#explain-z")}; ${await text("#explain-a")}`);
  if (!(Math.abs(a - Math.max(0, z)) < 1e-3) || field !== 1) problems.push(`digits: the explained pixel does not add up (z ${z}, a ${a}) or has no outlined receptive field`);
  await page.locator("#explain-pixel").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/digits-explained.png`, fullPage: true });

  // With a finger, on a phone-sized screen: touch events (through Chromium's DevTools protocol) draw a 1.
  {
    const phone = await browser.newContext({ viewport: { width: 400, height: 800 }, hasTouch: true, isMobile: true });
    const small = await phone.newPage();
    small.on("pageerror", (e) => errors.push(e.message));
    await small.goto(`${server.url}${path}?page=digits&sample=0`);
    await small.waitForSelector(done, { timeout: 120_000 });
    await small.click("#clear");
    const box = await small.locator("#pad").boundingBox();
    const cdp = await phone.newCDPSession(small);
    const at = (x, y) => [{ x: box.x + x * box.width / 280, y: box.y + y * box.height / 280 }];
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(140, 40) });
    for (let i = 1; i <= 20; i++) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: at(140 + i, 40 + i * 10) });
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    await small.waitForFunction(() => document.querySelector(".source")?.textContent.includes("your drawing"));
    await small.waitForTimeout(300);
    const digit = (await small.locator("#digit-prediction").textContent()).trim();
    const scrolled = await small.evaluate(() => window.scrollY);
    console.log(`digits: a 1 drawn with a finger on a 400-pixel-wide screen read as ${digit} (the page scrolled ${scrolled} px)`);
    if (digit !== "1" || scrolled !== 0) problems.push(`digits: a 1 drawn with a finger read as ${digit}, the page scrolled ${scrolled} px`);
    await small.screenshot({ path: `${shots}/digits-phone.png` });
    await phone.close();
  }

  started = Date.now();
  await page.goto(`${server.url}${path}?page=digits&sample=0&train=300`);
  await page.waitForSelector(done, { timeout: 300_000 });
  const accuracy = Number((await text("#train-accuracy")).replace("%", ""));
  console.log(`digits: trained here 300 steps in ${((Date.now() - started) / 1000).toFixed(1)} s, ${await text("#train-speed")} steps/s, ` +
    `loss ${await text("#train-loss")}, ${accuracy}% of the 200 test digits`);
  if (!(accuracy >= 85)) problems.push(`digits: 300 steps trained here reach ${accuracy}%, expected at least 85% (96% measured)`);
  await page.locator("#train-here").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/digits-trained.png`, fullPage: true });
  for (const e of errors) problems.push(`digits: console error: ${e}`);
  await page.close();
}

// The Names page: the shipped transformer writes twelve names and draws "emma"'s attention, a clicked weight is explained
// with the numbers the layer used, and a transformer trained here for 200 steps writes with its own weights.
{
  const { page, errors, text } = await openPage();
  const names = async () => (await page.locator("#generated-names li").allTextContents()).map((t) => t.trim());
  let started = Date.now();
  await page.goto(`${server.url}${path}?page=names`);
  await page.waitForSelector(done, { timeout: 120_000 });
  const shipped = await names();
  const grids = await page.locator("#attention table.attention-grid").count();
  console.log(`names: the shipped transformer wrote ${shipped.join(" ")} and drew ${grids} heads after ${((Date.now() - started) / 1000).toFixed(2)} s`);
  if (shipped.length !== 12 || shipped.some((n) => !/^[a-z]+$/.test(n))) problems.push(`names: expected 12 names of letters, got "${shipped.join(" ")}"`);
  if (grids !== 8) problems.push(`names: ${grids} attention grids drawn, expected 8 (2 blocks of 4 heads)`);
  await page.screenshot({ path: `${shots}/names.png`, fullPage: true });

  // A cell of block 2, head 1: 'm' (position 3) looking at 'e' (position 1).
  await page.click("#cell-2-1-3-1");
  await page.waitForFunction(() => document.querySelector("#attention-explain")?.textContent.includes("looks at 'e' (position 1)"));
  const weight = (await text("#explain-weight")).split(" = ").at(-1);
  const check = await text("#explain-check");
  const cell = Number(await page.locator("#cell-2-1-3-1").getAttribute("data-weight"));
  console.log(`names: ${await text("#explain-score")}; ${await text("#explain-weight")}; ${check.split(". ")[0]}`);
  if (!check.startsWith(`The layer computed ${weight}.`) || !(Math.abs(Number(weight) - cell) < 1e-4)) {
    problems.push(`names: the explained weight ${weight} is not the layer's ("${check}") or the cell's ${cell}`);
  }
  await page.locator("#attention-explain").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/names-explained.png`, fullPage: true });

  // Train here: 200 steps of the transformer (seed 1). In .NET (and in Chromium, measured) the same run ends at validation loss 2.2491 (the untrained network: 3.5).
  started = Date.now();
  await page.goto(`${server.url}${path}?page=names&train=200&seed=1`);
  await page.waitForSelector(done, { timeout: 600_000 });
  const dev = Number(await text("#dev-loss"));
  const trained = await names();
  console.log(`names: trained here 200 steps in ${((Date.now() - started) / 1000).toFixed(1)} s, ${await text("#steps-per-second")} steps/s, ` +
    `training loss ${await text("#train-loss")}, validation loss ${dev}; it wrote ${trained.join(" ")}`);
  if (!(dev <= 2.3)) problems.push(`names: 200 steps trained here reach validation loss ${dev}, expected at most 2.3 (2.2491 measured)`);
  if ((await text("#writer")) !== "the transformer trained here (step 200)" || trained.length !== 12) problems.push(`names: the trained network does not write the names`);
  await page.screenshot({ path: `${shots}/names-trained.png`, fullPage: true });
  for (const e of errors) problems.push(`names: console error: ${e}`);
  await page.close();
}

await browser.close();
server.close();
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("playground check: every run finished with its losses below the thresholds and no console error");
