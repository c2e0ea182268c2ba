// The search page in a real browser: headless Chromium (Debian's package) driven by playwright-core.
//
// Starts the real `hoptac serve` on a free loopback port against a temporary copy of corpus/ (plus a
// document carrying a script tag), then does what a user does: types a query without diacritics,
// reads the highlighted results, filters by a facet, goes back, opens a document, uses the
// suggestions by keyboard, looks at the page on a phone, and searches with JavaScript disabled.
// Screenshots go to tests/browser/output/.
//
// Usage: node search.test.mjs   (HOPTAC_BIN: the binary, default target/debug/hoptac;
//                                CHROMIUM: the browser, default /usr/bin/chromium)

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const out = path.join(here, "output");
const bin = path.resolve(process.env.HOPTAC_BIN || path.join(repo, "target/debug/hoptac"));
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
// Without the background-networking flags Chromium keeps dialling Google, which a closed network
// refuses; --no-sandbox because CI runs as root.
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const KOREA = "Hàn Quốc";

function log(msg) {
  process.stdout.write(`browser: ${msg}\n`);
}

/** A temp folder with a copy of corpus/, a hostile document and a reprint of a release. */
function makeCorpus() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hoptac-browser-"));
  fs.cpSync(path.join(repo, "corpus"), path.join(dir, "corpus"), { recursive: true });
  // The Korea release as another outlet republished it: its own title, date line and footer.
  const release = fs.readFileSync(path.join(dir, "corpus", "001_ee5d0284acdd5462.txt"), "utf8");
  const body = release.split("\n").slice(3).join("\n");
  fs.writeFileSync(
    path.join(dir, "corpus", "ban-sao.txt"),
    `Việt Nam và Hàn Quốc mở chương mới trong hợp tác thông tin truyền thông\n\n10:30, 07/08/2024\n\n${body}\n\nTheo Báo Điện tử Chính phủ\n`,
  );
  fs.writeFileSync(
    path.join(dir, "corpus", "xss.txt"),
    "Thử nghiệm <script>alert(1)</script> hợp tác\n\n" +
      "Văn bản thử nghiệm có <script>alert(1)</script> và <img src=x onerror=alert(2)> trong nội dung.\n",
  );
  return dir;
}

/** Starts `hoptac serve` on a free port; resolves to { url, child } once it prints its address. */
function serve(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      bin,
      ["--index", path.join(dir, "index"), "serve", "--addr", "127.0.0.1:0", "--corpus", path.join(dir, "corpus")],
      { cwd: repo, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    let stdout = "";
    // Cleared once the server answers, so the finished test does not wait for it.
    const timer = setTimeout(() => reject(new Error(`hoptac serve did not start in 120 s: ${stderr}`)), 120_000);
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => {
      stdout += d;
      const m = stdout.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[0], child });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`hoptac serve exited (${code}): ${stderr}`));
    });
  });
}

/** Waits for the autofocus on the search box (Chromium applies it at the next frame, not at load). */
async function searchBoxFocused(page) {
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === "q", null, {
    timeout: 5000,
  });
}

async function total(page) {
  return Number(await page.locator("#total").getAttribute("data-total"));
}

async function main() {
  assert.ok(fs.existsSync(bin), `no hoptac binary at ${bin} (cargo build first)`);
  assert.ok(fs.existsSync(executablePath), `no Chromium at ${executablePath} (apt-get install -y chromium)`);
  fs.mkdirSync(out, { recursive: true });
  const dir = makeCorpus();
  const { url, child } = await serve(dir);
  log(`server at ${url}`);
  const profiles = [];
  const launch = async (options) => {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "hoptac-chromium-"));
    profiles.push(profile);
    return chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: chromiumArgs,
      viewport: { width: 1280, height: 900 },
      locale: "vi-VN",
      ...options,
    });
  };
  const problems = [];
  const watch = (page) => {
    // A script tag from a document would open a dialog; a CSP violation or a script error shows
    // up as a console error or a page error.
    page.on("dialog", async (d) => {
      problems.push(`dialog opened: ${d.message()}`);
      await d.dismiss();
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    return page;
  };

  let context;
  try {
    context = await launch({});
    const page = watch(context.pages()[0] || (await context.newPage()));

    // 1. Landing page: the search box has the focus.
    await page.goto(url);
    await searchBoxFocused(page);
    assert.equal(await page.locator("html").getAttribute("lang"), "vi");

    // 2. Type without diacritics; suggestions appear as you type, in Vietnamese as written.
    await page.keyboard.type("an toan thong tin han quoc", { delay: 15 });
    const firstSuggestion = page.locator("#q-suggestions li").first();
    await firstSuggestion.waitFor({ state: "visible" });
    // The list follows the typing: it may still show an earlier prefix's completions for a moment
    // (`an toan thong tin` → `An toàn thông tin`). Wait for the answer to the whole query, which
    // must put Hàn Quốc first; a list stuck on a stale prefix times out here.
    await page.waitForFunction(
      () => /Hàn Quốc/.test(document.querySelector("#q-suggestions li")?.innerText ?? ""),
      null,
      { timeout: 10_000 },
    );
    assert.match(await firstSuggestion.innerText(), /Hàn Quốc/);
    assert.equal(await page.locator("#q").getAttribute("aria-expanded"), "true");
    await page.keyboard.press("Escape");
    await Promise.all([page.waitForURL(/q=an\+toan\+thong\+tin\+han\+quoc/), page.keyboard.press("Enter")]);
    log(`results: ${page.url()}`);

    // 3. The Korea documents come first, with <mark> on the accented words as written.
    const titles = await page.locator(".hit h2 a").allInnerTexts();
    // Only the documents about the query: the two Korea releases, not every release sharing a syllable.
    assert.equal(titles.length, 2, `results: ${titles}`);
    assert.ok(titles.every((t) => t.includes(KOREA)), `a result not about Korea: ${titles}`);
    const api = await (await fetch(`${url}api/search?q=an+toan+thong+tin+han+quoc`)).json();
    assert.equal(await total(page), api.total, "the page and the API count different sets");
    assert.equal(await page.locator("#relaxed").count(), 0, "a whole query said relaxed");
    const marks = await page.locator(".hit .snippet mark").allInnerTexts();
    assert.ok(marks.length > 0, "no highlighted words");
    const accented = marks.filter((m) => /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i.test(m));
    assert.ok(accented.length > 0, `marks without diacritics only: ${marks}`);
    assert.ok(
      marks.some((m) => m.includes(KOREA) || m.toLowerCase().includes("an toàn thông tin")),
      `neither Hàn Quốc nor an toàn thông tin marked: ${marks}`,
    );
    const before = await total(page);
    await page.screenshot({ path: path.join(out, "results.png"), fullPage: true });

    // 4. Click the Hàn Quốc facet: the URL holds the filter and the count is respected.
    const facet = page.locator(`a.fv[data-facet="country"][data-value="${KOREA}"]`);
    const shown = Number((await facet.locator(".n").innerText()).replace(/\./g, ""));
    await Promise.all([page.waitForURL(/country=H%C3%A0n\+Qu%E1%BB%91c/), facet.click()]);
    log(`filtered: ${page.url()}`);
    assert.equal(await total(page), shown, "result count differs from the facet count clicked");
    assert.ok(shown <= before);
    const tagLists = await page.locator(".hit .tags").allInnerTexts();
    // The count is of documents; the list shows a reprinted release once.
    assert.ok(tagLists.length >= 1 && tagLists.length <= Math.min(shown, 10), `${tagLists.length} listed of ${shown}`);
    for (const tags of tagLists) assert.ok(tags.includes(KOREA), `a hit without ${KOREA}: ${tags}`);
    assert.equal(await page.locator(`a.fv[data-value="${KOREA}"]`).getAttribute("aria-current"), "true");
    assert.ok((await page.locator(".active .chip").count()) >= 1, "no removable filter chip");
    await page.screenshot({ path: path.join(out, "results-filtered.png"), fullPage: true });

    // 4b. A word no document says: the set is relaxed and the page says so above the results.
    await page.goto(`${url}?q=an+to%C3%A0n+th%C3%B4ng+tin+H%C3%A0n+Qu%E1%BB%91c+qwzxv`);
    assert.match(await page.locator("#relaxed").innerText(), /Không có tài liệu nào chứa đủ các từ/);
    assert.match(await page.locator("#relaxed").innerText(), /qwzxv/);
    assert.ok((await total(page)) > 0, "a relaxed query found nothing");
    await page.screenshot({ path: path.join(out, "results-relaxed.png"), fullPage: true });
    await page.goBack();
    await page.waitForURL(/country=H%C3%A0n\+Qu%E1%BB%91c/);

    // 5. Back: the unfiltered search again.
    await page.goBack();
    await page.waitForURL((u) => !u.search.includes("country="));
    assert.equal(await total(page), before);

    // 6. Open a document: full text with the query's words marked, and a way back.
    const firstTitle = titles[0];
    await Promise.all([page.waitForURL(/\/doc\//), page.locator(".hit h2 a").first().click()]);
    log(`document: ${page.url()}`);
    assert.equal((await page.locator("article h1").innerText()).trim(), firstTitle.trim());
    assert.ok((await page.locator(".body mark").count()) > 0, "no highlights in the document");
    assert.match(await page.locator("a.back").getAttribute("href"), /q=an\+toan/);
    await page.screenshot({ path: path.join(out, "document.png"), fullPage: true });
    // Its related documents: another document, one click away.
    assert.equal((await page.locator("#related-h").innerText()).trim(), "Tài liệu liên quan");
    const here = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== here && /\/doc\//.test(u.href)), page.locator("#related a").first().click()]);
    assert.ok((await page.locator("article h1").innerText()).trim().length > 0);
    log(`related: ${page.url()}`);

    // 6a. A reprinted release shows once; "1 bản đăng lại" opens the list of its other publications.
    await page.goto(`${url}?q=${encodeURIComponent("chương mới hợp tác thông tin truyền thông Hàn Quốc")}`);
    const group = page.locator("details.reprints").first();
    assert.equal((await group.locator("summary").innerText()).trim(), "1 bản đăng lại");
    assert.equal(await group.locator("ul a").isVisible(), false, "the reprints show before they are asked for");
    await group.locator("summary").click();
    assert.equal(await group.locator("ul a").isVisible(), true, "the reprints do not open");
    await page.screenshot({ path: path.join(out, "results-reprints.png"), fullPage: true });

    // 6b. Typed with the input method off: the page searches the reading and offers it as a link
    //     that puts it in the box.
    await page.goto(`${url}?q=${encodeURIComponent("an toanf thoong tin Hanf Quoocs")}`);
    assert.match(await page.locator("#corrected").innerText(), /Có phải bạn muốn tìm/);
    assert.equal((await page.locator("#corrected strong").innerText()).trim(), "an toàn thông tin Hàn Quốc");
    assert.ok((await total(page)) > 0, "the reading found nothing");
    assert.ok((await page.locator(".hit mark").count()) > 0, "no marks on the words found");
    await page.screenshot({ path: path.join(out, "results-corrected.png"), fullPage: true });
    await Promise.all([page.waitForURL(/q=an\+to%C3%A0n/), page.locator("#corrected a").click()]);
    assert.equal(await page.locator("#q").inputValue(), "an toàn thông tin Hàn Quốc");
    assert.equal(await page.locator("#corrected").count(), 0, "a correct query offered a correction");

    // 7. Keyboard only: suggestions with the arrow keys, Enter to search the completion.
    await page.goto(url);
    await searchBoxFocused(page);
    await page.keyboard.type("han q", { delay: 15 });
    await page.locator("#q-suggestions li").first().waitFor({ state: "visible" });
    await page.keyboard.press("ArrowDown");
    assert.equal(await page.locator("#q-suggestions li").first().getAttribute("aria-selected"), "true");
    await Promise.all([page.waitForURL(/q=H%C3%A0n\+Qu%E1%BB%91c/), page.keyboard.press("Enter")]);
    assert.equal(await page.locator("#q").inputValue(), KOREA);
    // Tab from the search box reaches the button, then the filters and results.
    await page.locator("#q").focus();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const tabbed = await page.evaluate(() => document.activeElement.tagName + ":" + document.activeElement.className);
    assert.ok(/^A:|^SUMMARY/.test(tabbed), `focus went to ${tabbed}`);

    // 7b. A ministry suggestion is a filter: choosing it applies it, the words before it stay the query.
    await page.goto(url);
    await searchBoxFocused(page);
    await page.keyboard.type("hop tac bo th", { delay: 15 });
    const ministry = page.locator("#q-suggestions li", { hasText: "Bộ Thông tin và Truyền thông" }).first();
    await ministry.waitFor({ state: "visible" });
    await Promise.all([page.waitForURL(/ministry=/), ministry.click()]);
    const applied = new URL(page.url()).searchParams;
    assert.equal(applied.get("ministry"), "Bộ Thông tin và Truyền thông");
    assert.equal(applied.get("q"), "hop tac");
    assert.equal(await page.locator("#q").inputValue(), "hop tac");
    assert.match(await page.locator(".active .chip").first().innerText(), /Bộ Thông tin và Truyền thông/);
    assert.ok((await total(page)) > 0, "no results for the ministry filter");

    // 8. A document's markup shows as text, never runs.
    await page.goto(`${url}?q=${encodeURIComponent("thử nghiệm")}`);
    const snippet = await page.locator(".hit .snippet").first().innerText();
    assert.ok(snippet.includes("<script>alert(1)</script>"), `script tag not shown as text: ${snippet}`);
    await page.goto(`${url}doc/xss.txt`);
    assert.ok((await page.locator(".body").innerText()).includes("<img src=x onerror=alert(2)>"));

    // 9. On a phone: no sideways scrolling, filters folded away but one tap from the results.
    const phone = watch(await context.newPage());
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${url}?q=${encodeURIComponent("an toan thong tin han quoc")}`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page wider than the phone by ${overflow}px`);
    assert.equal(await phone.locator("#filters").getAttribute("open"), null, "filters open on a phone");
    await phone.screenshot({ path: path.join(out, "results-phone.png"), fullPage: true });
    const desktopOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(desktopOverflow <= 0, `page wider than the window by ${desktopOverflow}px`);
    await context.close();
    context = null;

    // 10. JavaScript disabled: searching and filtering still work.
    context = await launch({ javaScriptEnabled: false });
    const plain = watch(context.pages()[0] || (await context.newPage()));
    await plain.goto(url);
    await plain.locator("#q").fill("an toan thong tin han quoc");
    await Promise.all([plain.waitForURL(/q=an\+toan/), plain.locator("#q").press("Enter")]);
    assert.ok((await plain.locator(".hit .snippet mark").count()) > 0, "no results without JavaScript");
    await Promise.all([
      plain.waitForURL(/country=/),
      plain.locator(`a.fv[data-facet="country"][data-value="${KOREA}"]`).click(),
    ]);
    assert.ok((await total(plain)) > 0);
    await context.close();
    context = null;

    assert.deepEqual(problems, [], `problems in the page:\n${problems.join("\n")}`);
    log(`ok — screenshots in ${path.relative(repo, out)}/`);
  } finally {
    if (context) await context.close().catch(() => {});
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const p of profiles) fs.rmSync(p, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`browser test failed: ${e.stack || e}\n`);
  process.exit(1);
});
