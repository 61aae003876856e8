"""Run by compile.mjs inside Pyodide (globals WHEEL, SITE): write /work/out/WHEEL
(the wheel with unchecked-hash .pyc files beside its sources, the generated Lark
parsers of ipemu/parsers/ among them), /work/out/cache.zip (what ipemu caches under
IPEMU_CACHE_DIR: the booted scenarios),
/work/out/python_stdlib.zip (Pyodide's standard library with the modules a session
imports compiled: Pyodide ships sources only, and compiling them took most of each
page load) and /work/out/build.json."""
import compileall
import importlib.util
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

# the shipped scenarios, booted once (ipemu/snapshot.py keeps them under the cache)
from ipemu.data import toml_names  # noqa: E402
from ipemu.session import Session  # noqa: E402

booted = []
for profile in toml_names("profiles"):
    for scenario in toml_names("scenarios"):
        Session.create(profile, scenario)
        booted.append(f"{scenario}/{profile}")

# a session's work, so that every standard module it imports is known below
from ipemu.web import WebShell  # noqa: E402

page = WebShell.open()
for line in ("ip link add veth0 type veth peer name veth1", "ip -br link", "ip -j addr",
             "ip route get 10.0.2.2", "ping -c 1 10.0.2.2", "route -n", "ifconfig",
             "tcpdump -i eth0 -c 1 -w c.pcap & ping -c 1 10.0.2.2", "wait",
             "tcpdump -r c.pcap -nv", "ip netns add red", "ls", "help", "history"):
    page.shell.run_line(line)
page.complete("ip link set ")
page.downloads()
WebShell.open(state=page.save())
WebShell.open(lab="router").shell.run_line("lab check")


def stdlib_compiled(target):
    """The standard library's zip with each module imported so far as an
    unchecked-hash .pyc in place of its source (zipimport tries .pyc first)."""
    from importlib._bootstrap_external import _code_to_hash_pyc
    stdlib = next(p for p in sys.path if p.endswith(".zip"))
    used = set()
    for module in list(sys.modules.values()):
        origin = getattr(getattr(module, "__spec__", None), "origin", None) or ""
        if origin.startswith(stdlib + "/") and origin.endswith(".py"):
            used.add(origin[len(stdlib) + 1:])
    with zipfile.ZipFile(stdlib) as src, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in used:
                code = compile(data, info.filename, "exec", dont_inherit=True)
                pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
                member = zipfile.ZipInfo(info.filename + "c", info.date_time)
                member.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(member, bytes(pyc))
            else:
                out.writestr(info, data)
    return len(used)


compiled = stdlib_compiled("/work/out/python_stdlib.zip")
pycs = [n for n in tree(SITE, "ipemu") if "__pycache__" in n]
archive(f"/work/out/{WHEEL}", SITE, members + pycs)
archive("/work/out/cache.zip", "/cache", list(tree("/cache", ".")))
with open("/work/out/build.json", "w") as fh:
    json.dump({"python": sys.version.split()[0], "booted": booted,
               "stdlib_compiled": compiled,
               "compile_seconds": round(time.perf_counter() - started, 1)}, fh)
