// The ipemu page: Pyodide runs ipemu (ipemu/web.py's WebShell) on this thread; this
// file is the terminal's front end: a small line editor over xterm.js (history, Tab
// completion, Ctrl-C/Ctrl-Z to the foreground job), the engine's steps driven from
// setTimeout, the host kept in localStorage, captures offered as downloads, and a
// plain-text copy of the terminal for screen readers (and the tests).
//
// URL: ?scenario=NAME&profile=NAME&seed=N&lab=NAME&run=CMD1;CMD2
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { Terminal } from "./xterm/xterm.mjs";

const params = new URLSearchParams(location.search);
const options = {
  scenario: params.get("scenario") || "default",
  profile: params.get("profile") || "default",
  seed: parseInt(params.get("seed") || "0", 10) || 0,
  lab: params.get("lab") || "",
};
// ?run= lines run at load, as if typed, on a fresh host that is not saved: a doc
// page's "try it here" link gets its own session every time
const runLines = (params.get("run") || "").split(/[;\n]/).map((s) => s.trim()).filter(Boolean);
const storageKey = runLines.length ? null
  : `ipemu:state:${options.lab ? "lab=" + options.lab : options.scenario}:${options.profile}:${options.seed}`;
const historyKey = "ipemu:history";
const timings = (window.ipemuTimings = { start: performance.now() });

const statusEl = document.getElementById("status");
const textCopy = document.getElementById("text-copy");
const downloadsEl = document.getElementById("downloads");

const term = new Terminal({
  convertEol: true, cursorBlink: true, screenReaderMode: true, scrollback: 5000,
  fontFamily: "ui-monospace, 'DejaVu Sans Mono', Menlo, monospace", fontSize: 14,
});
term.open(document.getElementById("terminal"));
fitColumns();
window.addEventListener("resize", fitColumns);

// ------------------------------------------------------------------ text copy
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b./g;

function record(text) {
  textCopy.textContent += text.replace(ESCAPES, "").replace(/\r/g, "");
}

function show(text) {
  if (!text) return;
  term.write(text);
  record(text);
}

// ------------------------------------------------------------------- the shell
let py = null;
let shell = null;       // ipemu.web.WebShell
let timer = null;       // the one pending step
let busy = true;        // a line is running (or the page is loading)
const queued = [];      // lines waiting to run (?run=), then keys typed meanwhile
let typeahead = "";

async function boot() {
  py = await loadPyodide({ env: { IPEMU_CACHE_DIR: "/cache", HOME: "/root" } });
  timings.pyodide = performance.now();
  const [wheel, cache] = await Promise.all([
    fetch(`${await buildInfo("wheel")}`).then((r) => r.arrayBuffer()),
    fetch("cache.zip").then((r) => r.arrayBuffer()),
  ]);
  const site = py.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
  py.unpackArchive(wheel, "zip", { extractDir: site });
  py.unpackArchive(cache, "zip", { extractDir: "/cache" });
  py.runPython("from ipemu.web import open_page, settle_install; settle_install()");
  timings.imports = performance.now();
  const saved = storageKey ? localStorage.getItem(storageKey) || "" : "";
  const opened = py.globals.get("open_page").callKwargs({ ...options, state: saved });
  if (typeof opened === "string") {       // an unknown scenario, profile or lab
    statusEl.textContent = "The host could not start.";
    show(opened);
    document.body.dataset.state = "failed";
    return;
  }
  shell = opened;
  timings.boot = performance.now();
  window.ipemu = { shell, py };     // for the console (and measurements)
  statusEl.textContent = options.lab ? `Lab ${options.lab}` :
    `Host: scenario ${options.scenario}, profile ${options.profile}`;
  show(shell.intro());
  queued.push(...runLines);
  busy = false;
  nextLine();
}

let info = null;
async function buildInfo(key) {
  info ??= await fetch("build.json").then((r) => r.json());
  return info[key];
}

function pythonMessage(err) {
  // the last line of a Python traceback: the exception and its message
  return String(err.message || err).trim().split("\n").pop() + "\n";
}

// a Python list or dict as a JS value; the proxy is released at once
function pyValue(proxy) {
  const value = proxy.toJs({ dict_converter: Object.fromEntries });
  proxy.destroy();
  return value;
}

function schedule(seconds) {
  clearTimeout(timer);
  timer = setTimeout(tick, Math.max(0, seconds * 1000));
}

function tick() {
  timer = null;
  let delay;
  try {
    delay = shell.step();
  } catch (err) {
    show(`ipemu: internal error in the page: ${pythonMessage(err)}`);
    delay = 0.5;
  }
  const out = shell.output();
  if (busy) {
    show(out);
    if (!shell.busy) return lineEnded();
  } else if (out) {
    // a background job wrote while the prompt was shown: print it above the prompt
    eraseInput();
    show(out.endsWith("\n") ? out : out + "\n");
    drawPrompt();
  }
  schedule(delay);
}

function runLine(line) {
  busy = true;
  prompting = false;
  remember(line);
  const running = shell.start(line, history, term.cols);
  show(shell.output());
  if (running) schedule(0);
  else lineEnded();
}

function lineEnded() {
  busy = false;
  show(shell.notices());
  offerDownloads();
  save();
  nextLine();
}

function nextLine() {
  if (queued.length) {
    const line = queued.shift();
    show(shell.prompt() + line + "\n");
    runLine(line);
    return;
  }
  newPrompt();
  if (!timings.firstPrompt) {
    timings.firstPrompt = performance.now();
    document.body.dataset.firstPromptMs = Math.round(timings.firstPrompt);
  }
  const keys = typeahead;
  typeahead = "";
  if (keys) input(keys);
  if (!busy) {
    document.body.dataset.state = "ready";
    schedule(0.2);
  }
}

function save() {
  if (!storageKey) return;
  try {
    localStorage.setItem(storageKey, shell.save());
  } catch (err) {
    statusEl.textContent = "The host could not be saved in this browser's storage.";
  }
}

function offerDownloads() {
  const files = pyValue(shell.downloads());
  for (const [path, data] of files) {
    const name = path.split("/").pop();
    const url = URL.createObjectURL(new Blob([data], { type: "application/vnd.tcpdump.pcap" }));
    const list = downloadsEl.querySelector("ul");
    let item = [...list.children].find((li) => li.dataset.path === path);
    if (!item) {
      item = document.createElement("li");
      item.dataset.path = path;
      list.append(item);
    } else {
      URL.revokeObjectURL(item.querySelector("a").href);
    }
    item.innerHTML = "";
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.textContent = name;
    item.append(link, ` (${path}, ${data.length} bytes)`);
    downloadsEl.hidden = false;
  }
}

// ------------------------------------------------------------- the line editor
let history = JSON.parse(localStorage.getItem(historyKey) || "[]");
let buffer = "";
let cursor = 0;
let browsing = history.length;   // index into history while Up/Down browse it
let draft = "";
let prompt = "";
let prompting = false;
let lastKeyTab = false;

function remember(line) {
  if (line.trim() && history[history.length - 1] !== line) history.push(line);
  history = history.slice(-1000);
  browsing = history.length;
  try { localStorage.setItem(historyKey, JSON.stringify(history)); } catch (err) { /* full */ }
}

function newPrompt() {
  prompt = shell.prompt();
  buffer = "";
  cursor = 0;
  draft = "";
  browsing = history.length;
  prompting = true;
  drawPrompt();
}

// where the cursor is, in rows below the prompt's first row, for redrawing
let cursorRow = 0;

function drawPrompt() {
  term.write(prompt + buffer);
  const cols = term.cols;
  const end = prompt.length + buffer.length;
  if (end > 0 && end % cols === 0) term.write("\r\n");   // xterm waits to wrap
  const endRow = Math.floor(end / cols);
  const at = prompt.length + cursor;
  const row = Math.floor(at / cols);
  if (endRow > row) term.write(`\x1b[${endRow - row}A`);
  term.write(`\x1b[${(at % cols) + 1}G`);
  cursorRow = row;
}

function eraseInput() {
  if (cursorRow > 0) term.write(`\x1b[${cursorRow}A`);
  term.write("\r\x1b[J");
  cursorRow = 0;
}

function redraw() {
  eraseInput();
  drawPrompt();
}

function setBuffer(text, at = text.length) {
  buffer = text;
  cursor = at;
  redraw();
}

function insert(text) {
  setBuffer(buffer.slice(0, cursor) + text + buffer.slice(cursor), cursor + text.length);
}

function submit() {
  const line = buffer;
  cursor = buffer.length;
  redraw();
  term.write("\r\n");
  record(prompt + line + "\n");
  prompting = false;
  document.body.dataset.state = "running";
  runLine(line);
}

function complete(again) {
  const before = buffer.slice(0, cursor);
  const result = pyValue(shell.complete(before));
  const words = result.words;
  const typed = before.slice(result.start);
  if (!words.length) return term.write("\x07");
  if (words.length === 1) {
    const word = words[0];
    insert(word.slice(typed.length) + (word.endsWith("/") ? "" : " "));
    return;
  }
  const common = words.reduce((a, b) => { let i = 0; while (i < a.length && a[i] === b[i]) i++; return a.slice(0, i); });
  if (common.length > typed.length) return insert(common.slice(typed.length));
  if (!again) return term.write("\x07");
  // a second Tab lists the choices in columns, as readline does
  const width = Math.max(...words.map((w) => w.length)) + 2;
  const per = Math.max(1, Math.floor(term.cols / width));
  let listing = "";
  words.forEach((w, i) => { listing += w.padEnd(width) + ((i + 1) % per === 0 ? "\n" : ""); });
  cursor = buffer.length;
  redraw();
  term.write("\r\n");
  record(prompt + buffer + "\n");
  show(listing.trimEnd().replace(/ +\n/g, "\n") + "\n");
  drawPrompt();
}

function browse(step) {
  const next = browsing + step;
  if (next < 0 || next > history.length) return;
  if (browsing === history.length) draft = buffer;
  browsing = next;
  setBuffer(next === history.length ? draft : history[next]);
}

const KEYS = /\x1b\[[0-9;]*[A-Za-z~]|\x1bO[A-Za-z]|\x1b[bf]|[\s\S]/g;

// keys while a line runs: Ctrl-C and Ctrl-Z go to its job; the rest waits, as a
// terminal keeps what is typed ahead for the shell
function keyWhileBusy(key) {
  if (!shell) {
    typeahead += key;
  } else if (key === "\x03") {
    typeahead = "";     // the tty flushes its input on SIGINT
    shell.interrupt();
    show(shell.output());
    schedule(0);
  } else if (key === "\x1a") {
    shell.suspend();
    show(shell.output());
    schedule(0);
  } else {
    typeahead += key;
  }
}

function input(data) {
  for (const key of data.match(KEYS) || []) {
    if (busy || !prompting) { keyWhileBusy(key); continue; }
    const again = lastKeyTab;
    lastKeyTab = key === "\t";
    if (lastKeyTab) complete(again);
    else editKey(key);
  }
}

function editKey(key) {
  switch (key) {
    case "\r": case "\n": return submit();
    case "\x03":   // Ctrl-C at the prompt: bash drops the line
      cursor = buffer.length; redraw();
      term.write("^C\r\n"); record(prompt + buffer + "^C\n");
      return newPrompt();
    case "\x04":   // Ctrl-D: on an empty line, bash leaves
      if (!buffer) { setBuffer("exit"); return submit(); }
      return setBuffer(buffer.slice(0, cursor) + buffer.slice(cursor + 1), cursor);
    case "\x7f": case "\b":
      if (cursor > 0) setBuffer(buffer.slice(0, cursor - 1) + buffer.slice(cursor), cursor - 1);
      return;
    case "\x1b[3~":
      return setBuffer(buffer.slice(0, cursor) + buffer.slice(cursor + 1), cursor);
    case "\x1b[D": case "\x02": return cursor > 0 && setBuffer(buffer, cursor - 1);
    case "\x1b[C": case "\x06": return cursor < buffer.length && setBuffer(buffer, cursor + 1);
    case "\x1b[H": case "\x1bOH": case "\x01": return setBuffer(buffer, 0);
    case "\x1b[F": case "\x1bOF": case "\x05": return setBuffer(buffer, buffer.length);
    case "\x1b[A": case "\x10": return browse(-1);
    case "\x1b[B": case "\x0e": return browse(1);
    case "\x15": return setBuffer(buffer.slice(cursor), 0);                 // Ctrl-U
    case "\x0b": return setBuffer(buffer.slice(0, cursor), cursor);         // Ctrl-K
    case "\x17": {                                                           // Ctrl-W
      const head = buffer.slice(0, cursor).replace(/\S*\s*$/, "");
      return setBuffer(head + buffer.slice(cursor), head.length);
    }
    case "\x0c": term.write("\x1b[H\x1b[2J"); cursorRow = 0; return drawPrompt();  // Ctrl-L
    default:
      if (key.length === 1 && key >= " ") insert(key);
  }
}

term.onData(input);

// ---------------------------------------------------------------- page controls
document.getElementById("show-text").addEventListener("click", (event) => {
  const hidden = textCopy.classList.toggle("visually-hidden");
  event.target.setAttribute("aria-expanded", String(!hidden));
});
document.getElementById("start-over").addEventListener("click", () => {
  if (storageKey) localStorage.removeItem(storageKey);
  location.reload();
});

function fitColumns() {
  // columns from the width of a character in the terminal's font
  const probe = document.createElement("span");
  probe.style.cssText = `font: ${term.options.fontSize}px ${term.options.fontFamily}; position: absolute; visibility: hidden`;
  probe.textContent = "x".repeat(50);
  document.body.append(probe);
  const width = probe.getBoundingClientRect().width / 50;
  probe.remove();
  const box = document.getElementById("terminal").getBoundingClientRect();
  const cols = Math.max(40, Math.floor((box.width - 20) / width));
  const rows = Math.max(10, Math.floor(box.height / (term.options.fontSize * 1.2)));
  if (cols !== term.cols || rows !== term.rows) term.resize(cols, rows);
}

boot().catch((err) => {
  statusEl.textContent = "The page could not start: " + err;
  console.error(err);
});
