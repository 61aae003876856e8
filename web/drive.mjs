// Drive the page in headless Chromium for tests/test_web.py: each step on stdin's
// JSON plan runs in order, and one JSON result is printed, with every request made
// to a host other than 127.0.0.1 (`outside`).
//
//   node web/drive.mjs < plan.json
//   plan: {"chromium": PATH, "profile": DIR, "steps": [
//     {"goto": URL}, {"ready": true}, {"type": "ip -br link\r"}, {"press": "Control+C"},
//     {"wait": "TEXT"}, {"text": true}, {"timings": true}, {"downloads": true},
//     {"eval": "JS expression"}, {"exec": [ARGV...]}, {"sleep": MS}, {"screenshot": PATH}]}
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

const plan = JSON.parse(await new Promise((resolve) => {
  let data = "";
  process.stdin.on("data", (chunk) => (data += chunk));
  process.stdin.on("end", () => resolve(data));
}));
const timeout = plan.timeout || 60000;
const context = await chromium.launchPersistentContext(plan.profile, {
  executablePath: plan.chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"],
});
const result = { outside: [], results: [], console: [], stepMs: [] };  // stepMs: each step's wall time
const page = context.pages()[0] || await context.newPage();
page.on("console", (msg) => result.console.push(`${msg.type()}: ${msg.text()}`));
page.on("pageerror", (err) => result.console.push(`pageerror: ${err.message}`));
// every request the page makes is seen (not intercepted: Playwright's routing would
// turn the HTTP cache off, and a warm load is what is measured)
const local = (href) => { const url = new URL(href); return ["blob:", "data:"].includes(url.protocol) || url.hostname === "127.0.0.1"; };
context.on("request", (request) => { if (!local(request.url())) result.outside.push(request.url()); });

const textCopy = () => page.evaluate(() => document.getElementById("text-copy").textContent);

try {
  for (const step of plan.steps) {
    const began = Date.now();
    if (step.goto) {
      await page.goto(step.goto);
    } else if (step.ready) {
      // the prompt is up and nothing is queued
      await page.waitForFunction(() => document.body.dataset.state === "ready", null, { timeout });
    } else if (step.type !== undefined) {
      await page.locator("#terminal").click();
      await page.keyboard.type(step.type, { delay: step.delay || 0 });
    } else if (step.press) {
      await page.keyboard.press(step.press);
    } else if (step.wait) {
      await page.waitForFunction((want) => document.getElementById("text-copy").textContent.includes(want),
                                 step.wait, { timeout });
    } else if (step.text) {
      result.results.push(await textCopy());
    } else if (step.timings) {
      result.results.push(await page.evaluate(() => window.ipemuTimings));
    } else if (step.downloads) {
      result.results.push(await page.evaluate(() => [...document.querySelectorAll("#downloads a")]
        .map((a) => ({ name: a.download, href: a.href }))));
    } else if (step.eval) {
      result.results.push(await page.evaluate(step.eval));
    } else if (step.exec) {
      // a program run between two page steps (measure.py's native side), its JSON output
      result.results.push(JSON.parse(execFileSync(step.exec[0], step.exec.slice(1), { encoding: "utf8" })));
    } else if (step.screenshot) {
      await page.screenshot({ path: step.screenshot });
    } else if (step.sleep) {
      await page.waitForTimeout(step.sleep);
    }
    result.stepMs.push(Date.now() - began);
  }
} catch (err) {
  result.error = String(err);
  result.text = await textCopy().catch(() => "");
}
await context.close();
process.stdout.write(JSON.stringify(result) + "\n");
