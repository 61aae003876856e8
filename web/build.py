"""Build the ipemu web page: one static folder that any static server can serve.

    python3 web/build.py OUTDIR          (run from a checkout)

OUTDIR gets the page (index.html, app.js, style.css), the Pyodide runtime and
xterm.js (from web/node_modules, pinned by web/package.json; `npm ci` runs first
when they are missing), the ipemu package as a wheel with its .pyc files (the Lark
parsers among them: ipemu/parsers/, Lark's standalone parsers), cache.zip (the
shipped scenarios booted once: ipemu/snapshot.py's cache), and Pyodide's standard
library with the modules a session imports compiled. The page then needs neither
lark nor prompt_toolkit nor any network at run time.

The compiling runs in the page's own Python (Pyodide under Node: web/compile.mjs),
since .pyc and marshal files are only read by the Python that wrote them.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

WEB = Path(__file__).resolve().parent
ROOT = WEB.parent
MODULES = WEB / "node_modules"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)      # every archive member's date: builds compare equal

# what the page loads from the runtime packages (source maps and demos stay behind)
RUNTIME = {
    "pyodide": ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                "pyodide-lock.json", "package.json"],
    "@xterm/xterm": ["lib/xterm.mjs", "css/xterm.css", "LICENSE", "package.json"],
}
PAGE = ["index.html", "app.js", "style.css"]


def package_files() -> dict[str, Path]:
    """The files a wheel of ipemu holds, by their path inside it, as pyproject.toml's
    [tool.setuptools] lists them: each package's modules and its package data."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    dirs = config.get("package-dir", {})
    data = config.get("package-data", {})
    files: dict[str, Path] = {}
    for package in config["packages"]:
        folder = ROOT / dirs.get(package, package.replace(".", "/"))
        target = package.replace(".", "/")
        patterns = ["*.py"] + data.get(package, [])
        for pattern in patterns:
            for path in sorted(folder.glob(pattern)):
                if path.is_file():
                    files[f"{target}/{path.relative_to(folder).as_posix()}"] = path
    return files


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])


def build_wheel(work: Path) -> Path:
    """ipemu's sources as a wheel (the .pyc files are added by compile.mjs)."""
    sys.path.insert(0, str(ROOT))
    from ipemu import __version__
    members = {name: path.read_bytes() for name, path in package_files().items()}
    info = f"ipemu-{__version__}.dist-info"
    members[f"{info}/METADATA"] = (f"Metadata-Version: 2.1\nName: ipemu\n"
                                   f"Version: {__version__}\n").encode()
    members[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: ipemu web/build.py\n"
                                b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    members[f"{info}/RECORD"] = "".join(f"{name},,\n" for name in
                                        sorted(members) + [f"{info}/RECORD"]).encode()
    wheel = work / f"ipemu-{__version__}-py3-none-any.whl"
    write_zip(wheel, members)
    return wheel


def ensure_modules() -> None:
    missing = [name for name in RUNTIME if not (MODULES / name / "package.json").is_file()]
    if missing:
        print(f"build.py: {', '.join(missing)} missing in web/node_modules: npm ci", flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=WEB, check=True)


def compile_in_page_python(work: Path, wheel: Path) -> dict:
    """web/compile.mjs: the wheel with .pyc files, cache.zip (booted scenarios) and the
    compiled standard library, written by Pyodide's own Python into work/out."""
    (work / "out").mkdir()
    subprocess.run(["node", str(WEB / "compile.mjs"), str(work), wheel.name], check=True)
    return json.loads((work / "out" / "build.json").read_text())


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir", help="the folder to write (emptied first)")
    opts = parser.parse_args(argv)
    out = Path(opts.outdir).resolve()
    if out in (WEB, ROOT, MODULES) or out in WEB.parents:
        parser.error(f"{out}: not a folder to build into (it is emptied first)")
    ensure_modules()
    with tempfile.TemporaryDirectory(prefix="ipemu-web-") as tmp:
        work = Path(tmp)
        wheel = build_wheel(work)
        info = compile_in_page_python(work, wheel)
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        for name in PAGE:
            shutil.copy2(WEB / name, out / name)
        for package, names in RUNTIME.items():
            target = out / package.split("/")[-1]
            for name in names:
                dest = target / Path(name).name
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(MODULES / package / name, dest)
        for name in (wheel.name, "cache.zip"):
            shutil.copy2(work / "out" / name, out / name)
        shutil.copy2(work / "out" / "python_stdlib.zip", out / "pyodide" / "python_stdlib.zip")
    info["wheel"] = wheel.name
    (out / "build.json").write_text(json.dumps(info, indent=1) + "\n")
    size = folder_size(out)
    print(f"built {out}: {size / 1e6:.1f} MB ({sum(1 for p in out.rglob('*') if p.is_file())} files)")
    print(f"serve it with: python3 -m http.server -d {out} -b 127.0.0.1 8000")
    return 0


if __name__ == "__main__":
    sys.exit(main())
