"""Run by compile.mjs inside Pyodide (globals WHEEL, SITE): write /work/out/WHEEL
(the wheel with unchecked-hash .pyc files beside its sources), /work/out/cache.zip
(what ipemu caches under IPEMU_CACHE_DIR: the parsers, the booted scenarios) and
/work/out/build.json."""
import compileall
import json
import os
import py_compile
import sys
import time
import zipfile

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def archive(target, root, names):
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for name in sorted(names):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(os.path.join(root, name), "rb") as fh:
                out.writestr(info, fh.read())


def tree(root, top):
    for folder, _, files in os.walk(os.path.join(root, top)):
        for name in files:
            yield os.path.relpath(os.path.join(folder, name), root)


started = time.perf_counter()
from ipemu.web import settle_install  # noqa: E402

settle_install()
with zipfile.ZipFile(f"/work/{WHEEL}") as src:
    members = src.namelist()
# unchecked-hash .pyc: the page imports them without comparing the sources' mtimes
compileall.compile_dir(os.path.join(SITE, "ipemu"), quiet=1,
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)

# the parsers, through lark_cache itself: it compiles the standalone source and caches
# its code object where it will look for it in the page
from ipemu import lark_cache  # noqa: E402

sources = {}
for name in sorted(os.listdir("/work/parsers")):
    grammar = name.removesuffix(".py")
    with open(f"/work/parsers/{name}") as fh:
        sources[lark_cache.grammar_text(grammar)] = fh.read()
lark_cache._build_source = sources.__getitem__
for name in sorted(os.listdir("/work/parsers")):
    lark_cache.parser(name.removesuffix(".py"))

# the shipped scenarios, booted once (ipemu/snapshot.py keeps them under the cache)
from ipemu.data import toml_names  # noqa: E402
from ipemu.session import Session  # noqa: E402

booted = []
for profile in toml_names("profiles"):
    for scenario in toml_names("scenarios"):
        Session.create(profile, scenario)
        booted.append(f"{scenario}/{profile}")

pycs = [n for n in tree(SITE, "ipemu") if "__pycache__" in n]
archive(f"/work/out/{WHEEL}", SITE, members + pycs)
archive("/work/out/cache.zip", "/cache", list(tree("/cache", ".")))
with open("/work/out/build.json", "w") as fh:
    json.dump({"python": sys.version.split()[0], "booted": booted,
               "parsers": sorted(n.removesuffix(".py") for n in os.listdir("/work/parsers")),
               "compile_seconds": round(time.perf_counter() - started, 1)}, fh)
