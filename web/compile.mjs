// Build step of web/build.py: run Pyodide's own Python under Node to compile what
// the page would otherwise compile on every load (.pyc of the ipemu wheel, the
// booted scenarios, the standard library). Usage: node compile.mjs WORKDIR WHEEL
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "./node_modules/pyodide/pyodide.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const [work, wheel] = process.argv.slice(2);
const py = await loadPyodide({ env: { IPEMU_CACHE_DIR: "/cache", HOME: "/home/pyodide" } });
py.FS.mkdirTree("/work");
py.FS.mount(py.FS.filesystems.NODEFS, { root: path.resolve(work) }, "/work");
const site = py.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
py.unpackArchive(new Uint8Array(fs.readFileSync(path.join(work, wheel))), "zip",
                 { extractDir: site });
py.globals.set("WHEEL", wheel);
py.globals.set("SITE", site);
py.runPython(fs.readFileSync(path.join(here, "compile.py"), "utf8"));
