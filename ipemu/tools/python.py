"""python3 as network tutorials type it on Debian 12 (Python 3.11.2, /usr/bin/python3;
no `python`): the launcher's options and messages (Modules/main.c, Python/getopt.c),
`-m json.tool` (Lib/json/tool.py: its argparse parser, and the standard library's own
json module formats, so `ip -j ... | python3 -m json.tool` prints what Python prints),
`-m http.server` (ipemu/tools/http_server.py),
and `-c CODE`, a script file or a script on standard input, run in a sandbox.

The sandbox runs a Python subset in this process, on the simulated host: the code is
parsed, and refused before it runs unless every name is plain (no leading `_`), every
attribute one of a fixed list (the public methods of the built-in types, the modules
below and the objects they return: nothing that reaches a frame, a code object or a
module's globals), and every import one of sys, os, json, math, re, ipaddress, socket,
struct, platform, time, random and string as thin views (print writes to the terminal,
open() and os.listdir() read the simulated files, os.getcwd() is the shell's directory,
socket.if_nameindex() lists the namespace's devices, a UDP socket sends through the
namespace's stack and a client's recvfrom() times out (_DatagramSocket), platform and
os.uname() the profile's kernel, time runs on the host's clock). What it refuses says so (`not
simulated`): no code reaches the host's files, network or processes. Errors print as
CPython's traceback does, its frames those of the code.
"""
from __future__ import annotations

import ast
import io
import sys

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext

VERSION = "3.11.2"
BUILD = "(main, Apr 28 2025, 14:11:48) [GCC 12.2.0]"
EXECUTABLE = "/usr/bin/python3"
USAGE = ("usage: {prog} [option] ... [-c cmd | -m mod | file | -] [arg] ...\n"
         "Try `python -h' for more information.\n")
# Python/getopt.c's short options: those that take an argument, then the flags
WITH_ARG = "cmWX"
FLAGS = "bBdEhiIOqsSuvVx?"
STEP_LIMIT = 2_000_000          # loop turns a sandboxed program may take (one never ends)


class NotSimulated(Exception):
    pass


class _Blocked(BaseException):
    """A blocking recv() that nothing can ever answer: the program waits until a
    signal ends it (a BaseException, so the program's `except Exception` lets it by)."""


def main(ctx: ToolContext, argv: list[str]) -> int:
    prog, args = argv[0], argv[1:]
    i = 0
    versions = 0
    while i < len(args):
        word = args[i]
        if word == "--version":
            versions += 1
            i += 1
            continue
        if word == "--help":
            raise CommandError(f"ipemu: `{prog} --help` is not simulated\n", 1)
        if word == "-" or not word.startswith("-") or word == "--":
            break
        j = 1
        while j < len(word):
            letter = word[j]
            if letter in WITH_ARG:
                value = word[j + 1:] or (args[i + 1] if i + 1 < len(args) else None)
                if value is None:
                    ctx.term.err(f"Argument expected for the -{letter} option\n"
                                 + USAGE.format(prog=prog))
                    return 2
                rest = args[i + 1:] if word[j + 1:] else args[i + 2:]
                if letter == "c":
                    return run_code(ctx, value, ["-c"] + rest)
                if letter == "m":
                    return run_module(ctx, value, rest)
                i += 0 if word[j + 1:] else 1     # -W/-X: warnings, implementation options
                break
            if letter == "V":
                versions += 1
            elif letter in "h?":
                raise CommandError(f"ipemu: `{prog} -h` is not simulated\n", 1)
            elif letter not in FLAGS:
                ctx.term.err(f"Unknown option: -{letter}\n" + USAGE.format(prog=prog))
                return 2
            j += 1
        i += 1
    if versions:
        ctx.term.out(f"Python {VERSION}" + (f" {BUILD}" if versions > 1 else "") + "\n")
        return 0
    rest = args[i:]
    if rest and rest[0] == "--":
        rest = rest[1:]
    if not rest or rest[0] == "-":
        if ctx.stdin is None:
            raise CommandError(f"ipemu: `{prog}` (the interactive interpreter) is not "
                               "simulated\n", 1)
        return run_code(ctx, ctx.stdin, rest or [""], filename="<stdin>")
    name = rest[0]
    try:
        from ipemu.tools.textio import read_input
        # /dev/stdin: the script is what the redirection or pipe gives
        text = ctx.stdin if name == "/dev/stdin" and ctx.stdin is not None \
            else read_input(ctx, name)
    except OSError as err:
        path = ctx.session.fs.resolve(name, ctx.session.cwd)
        ctx.term.err(f"{prog}: can't open file '{path}': [Errno {err.errno}] "
                     f"{err.strerror}\n")
        return 2
    # the traceback names the script as CPython's config makes it absolute
    # (_Py_abspath(): the directory joined, `./` kept)
    path = name if name.startswith("/") else ctx.session.cwd.rstrip("/") + "/" + name
    return run_code(ctx, text, rest, filename=path)


# ---------------------------------------------------------------- -m MODULE
def run_module(ctx: ToolContext, module: str, args: list[str]) -> int:
    if module == "json.tool":
        return json_tool(ctx, args)
    if module == "http.server":
        from ipemu.tools.http_server import main as http_server
        return http_server(ctx, args)
    if module in sys.stdlib_module_names or module.split(".")[0] in sys.stdlib_module_names:
        raise CommandError(f"ipemu: `python3 -m {module}` is not simulated\n", 1)
    ctx.term.err(f"{EXECUTABLE}: No module named {module}\n")
    return 1


class _ArgparseExit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def json_tool(ctx: ToolContext, args: list[str]) -> int:
    """Lib/json/tool.py's main(), its parser as written there; files are the host's."""
    import argparse
    import json

    columns = getattr(ctx.session, "columns", None) or 80

    class Formatter(argparse.HelpFormatter):
        def __init__(self, prog: str) -> None:
            # argparse's width: the terminal's columns (COLUMNS) less 2
            super().__init__(prog, width=columns - 2)

    class Parser(argparse.ArgumentParser):
        def _print_message(self, message: str, file=None) -> None:
            if message:
                (ctx.term.err if file is sys.stderr else ctx.term.out)(message)

        def exit(self, status: int = 0, message: str | None = None):
            if message:
                ctx.term.err(message)
            raise _ArgparseExit(status)

    def infile(name: str):
        from ipemu.tools.textio import read_input
        try:
            return io.StringIO(read_input(ctx, name))
        except OSError as err:
            # argparse.FileType's message
            raise argparse.ArgumentTypeError(
                f"can't open '{name}': [Errno {err.errno}] {err.strerror}: '{name}'")

    prog = "python -m json.tool"
    description = ("A simple command line interface for json module "
                   "to validate and pretty-print JSON objects.")
    parser = Parser(prog=prog, description=description, formatter_class=Formatter)
    parser.add_argument("infile", nargs="?", type=infile,
                        help="a JSON file to be validated or pretty-printed",
                        default=None)
    parser.add_argument("outfile", nargs="?", type=str,
                        help="write the output of infile to outfile", default=None)
    parser.add_argument("--sort-keys", action="store_true", default=False,
                        help="sort the output of dictionaries alphabetically by key")
    parser.add_argument("--no-ensure-ascii", dest="ensure_ascii", action="store_false",
                        help="disable escaping of non-ASCII characters")
    parser.add_argument("--json-lines", action="store_true", default=False,
                        help="parse input using the JSON Lines format. "
                        "Use with --no-indent or --compact to produce valid JSON Lines output.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--indent", default=4, type=int,
                       help="separate items with newlines and use this number "
                       "of spaces for indentation")
    group.add_argument("--tab", action="store_const", dest="indent", const="\t",
                       help="separate items with newlines and use "
                       "tabs for indentation")
    group.add_argument("--no-indent", action="store_const", dest="indent", const=None,
                       help="separate items with spaces rather than newlines")
    group.add_argument("--compact", action="store_true",
                       help="suppress all whitespace separation (most compact)")
    try:
        options = parser.parse_args(args)
    except _ArgparseExit as done:
        return done.status
    source = options.infile if options.infile is not None else io.StringIO(ctx.stdin or "")
    dump_args = {"sort_keys": options.sort_keys, "indent": options.indent,
                 "ensure_ascii": options.ensure_ascii}
    if options.compact:
        dump_args["indent"] = None
        dump_args["separators"] = ",", ":"
    out = io.StringIO()
    status = 0
    try:
        if options.json_lines:
            objs = (json.loads(line) for line in source)
        else:
            objs = (json.load(source),)
        for obj in objs:
            json.dump(obj, out, **dump_args)
            out.write("\n")
    except ValueError as err:           # SystemExit(e): the message, status 1
        ctx.term.err(f"{err}\n")
        status = 1
    if options.outfile is None:
        ctx.term.out(out.getvalue())
    else:
        ctx.session.write_file(options.outfile, out.getvalue().encode())
    return status


# ---------------------------------------------------------------- the sandbox
def _public(*objects) -> set[str]:
    return {name for obj in objects for name in dir(obj) if not name.startswith("_")}


def _modules(ctx: ToolContext, argv: list[str], stdin: io.StringIO):
    """The modules the sandbox imports: views holding only what is named here."""
    import ipaddress
    import json
    import math
    import re
    import string

    class Writer:
        def __init__(self, write) -> None:
            self._write = write

        def write(self, text: str) -> int:
            self._write(str(text))
            return len(text)

        def flush(self) -> None:
            pass

    def exit(code=None):
        raise SystemExit(code)

    import os
    import random
    import struct

    session = ctx.session
    clock = [ctx.host.clock.wall]     # the program's own clock: time.sleep() moves it
    profile = ctx.profile
    # os.uname() of the simulated host: the profile's kernel, the host's name
    uname = (profile["uname_sysname"], ctx.host.hostname, profile["uname_release"],
             profile["uname_version"], profile["uname_machine"])
    # unseeded, a seed from the host's clock (a transcript's runs stay the same)
    rng = random.Random(clock[0])

    def resolve(name) -> str:
        return session.fs.resolve(os.fspath(name), session.cwd)

    def listdir(name=".") -> list[str]:
        from ipemu import procfs
        path = resolve(name)
        try:
            # the kernel's views first (/sys/class/net, /proc/net), as ls reads them
            view = procfs.listdir(ctx.host, ctx.netns, path)
            return list(view) if view is not None else session.fs.listdir(path)
        except OSError as err:
            raise OSError(err.errno, err.strerror, str(name)) from None

    def isdir(name) -> bool:
        from ipemu import procfs
        path = resolve(name)
        return procfs.is_view_dir(ctx.host, ctx.netns, path) or session.fs.is_dir(path)

    def exists(name) -> bool:
        from ipemu.tools.userland import _exists, _is_view
        path = resolve(name)
        return isdir(name) or _exists(session, path) or _is_view(session, ctx, path)

    from ipemu.tools.xargs import environment
    environ = _environ(environment(ctx))
    views = {
        "sys": {"argv": argv, "stdin": stdin, "stdout": Writer(ctx.term.out),
                "stderr": Writer(ctx.term.err), "exit": exit, "platform": "linux",
                "version": f"{VERSION} {BUILD}", "maxsize": sys.maxsize,
                "byteorder": "little", "executable": EXECUTABLE,
                "version_info": _version_info()},
        "json": {name: getattr(json, name) for name in
                 ("loads", "dumps", "load", "dump", "JSONDecodeError")},
        "math": {name: getattr(math, name) for name in _public(math)},
        "re": {name: getattr(re, name) for name in
               ("match", "search", "fullmatch", "findall", "finditer", "sub", "subn",
                "split", "compile", "escape", "IGNORECASE", "I", "MULTILINE", "M",
                "DOTALL", "S", "VERBOSE", "X", "ASCII", "A")},
        "ipaddress": {name: getattr(ipaddress, name) for name in _public(ipaddress)
                      if name[0].isupper() or name in (
                          "ip_address", "ip_network", "ip_interface", "collapse_addresses",
                          "summarize_address_range", "get_mixed_type_key",
                          "v4_int_to_packed", "v6_int_to_packed")},
        "string": {name: getattr(string, name) for name in
                   ("ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits",
                    "hexdigits", "octdigits", "punctuation", "printable", "whitespace",
                    "capwords")},
        "socket": _socket_view(ctx, clock),
        "struct": {name: getattr(struct, name) for name in STRUCT_NAMES},
        "platform": {"system": lambda: uname[0], "node": lambda: uname[1],
                     "release": lambda: uname[2], "version": lambda: uname[3],
                     "machine": lambda: uname[4]},
        "time": _time_view(ctx, clock),
        "random": {name: getattr(rng, name) for name in RANDOM_NAMES},
        "os": {"getcwd": lambda: session.cwd, "sep": "/", "linesep": "\n", "name": "posix",
               "uname": lambda: os.uname_result(uname), "listdir": listdir,
               "environ": environ, "getenv": environ.get,
               # the recordings' user: root
               "getuid": lambda: 0, "geteuid": lambda: 0, "getgid": lambda: 0,
               "getegid": lambda: 0,
               "path": _View("os.path", {
                   "join": _posixpath("join"), "basename": _posixpath("basename"),
                   "dirname": _posixpath("dirname"), "splitext": _posixpath("splitext"),
                   "split": _posixpath("split"), "normpath": _posixpath("normpath"),
                   "exists": exists, "isdir": isdir, "abspath": lambda name: (
                       _posixpath("normpath")(_posixpath("join")(session.cwd, name))),
                   "isfile": lambda name: exists(name) and not isdir(name),
                   "sep": "/"})},
    }
    views["subprocess"] = _subprocess_view(ctx)
    views["os"].update({"popen": views["subprocess"]["popen"],
                        "system": views["subprocess"]["system"]})
    del views["subprocess"]["popen"], views["subprocess"]["system"]
    views["pprint"] = _pprint_view(views["sys"]["stdout"])
    import shlex
    views["shlex"] = {name: getattr(shlex, name) for name in ("split", "quote", "join")}
    modules = {name: _View(name, attrs) for name, attrs in views.items()}
    modules["time"].__dict__["_clock"] = clock
    return modules


def _run_child(ctx: ToolContext, args, shell: bool, capture: bool, stdin: str | None,
               capture_err: bool = False, merge: bool = False):
    """A child process of the program: its stdout collected (capture) or the
    program's own, its stderr collected (capture_err), sent with stdout (merge) or the
    program's; the exit status as Popen.returncode gives it (-N for signal N).
    A program execvp() does not find is _execute_child()'s FileNotFoundError."""
    from ipemu.process import Process, wait_for
    from ipemu.tools.context import Routing, Terminal
    from ipemu.tools.xargs import _known
    if isinstance(args, (str, bytes)):
        args = args.decode() if isinstance(args, bytes) else args
        argv = ["/bin/sh", "-c", args] if shell else [args]
    else:
        argv = [os_fspath(a) for a in args]
        if shell:
            argv = ["/bin/sh", "-c"] + argv
    if not argv:
        raise IndexError("list index out of range")
    if not _known(ctx, argv[0]):
        err = FileNotFoundError(2, "No such file or directory", argv[0])
        err._ipemu_frames = [_POPEN_FRAME, _EXECUTE_CHILD_FRAME]
        raise err
    term = Terminal()
    targets = {"stdout": None if capture else "stdout",
               "stderr": None if capture_err else "stderr"}
    if merge:
        targets["stderr"] = targets["stdout"]
    term.sink = Routing(ctx.term, {k: v for k, v in targets.items() if v})
    result = ctx.session.dispatch(argv, term, netns=ctx.netns, stdin=stdin)
    if isinstance(result, Process):
        wait_for(ctx.host, result, limit=result.wait_limit)
        result = result.status
    status = result if result < 128 else -(result - 128)
    err_text = term.stream("stderr") if capture_err and not merge else ""
    return term.text() if merge else term.stream("stdout"), status, args, err_text


# Lib/subprocess.py of Debian 12's Python 3.11.2: the frames its tracebacks show
# (line, function, the stripped source line, the caret span or None)
_LIB = "/usr/lib/python3.11/subprocess.py"
_POPEN_FRAME = (1024, "__init__", "self._execute_child(args, executable, preexec_fn, "
                "close_fds,", None)
_EXECUTE_CHILD_FRAME = (1901, "_execute_child", "raise child_exception_type(errno_num, "
                        "err_msg, err_filename)", None)
_RUN_POPEN_FRAME = (548, "run", "with Popen(*popenargs, **kwargs) as process:", (5, 32))
_RUN_RAISE_FRAME = (571, "run", "raise CalledProcessError(retcode, process.args,", None)
_CALL_FRAME = (389, "call", "with Popen(*popenargs, **kwargs) as p:", (5, 32))
_CHECK_CALL_RAISE_FRAME = (413, "check_call", "raise CalledProcessError(retcode, cmd)",
                           None)
_CHECK_CALL_FRAME = (408, "check_call", "retcode = call(*popenargs, **kwargs)", (10, 36))
_CHECK_OUTPUT_FRAME = (466, "check_output", "return run(*popenargs, stdout=PIPE, "
                       "timeout=timeout, check=True,", (7, None))


def _lib_frames(err: BaseException, *frames) -> BaseException:
    err._ipemu_frames = list(frames) + getattr(err, "_ipemu_frames", [])
    return err


def _format_lib_frames(frames) -> str:
    out = []
    for line, func, text, caret in frames:
        out.append(f'  File "{_LIB}", line {line}, in {func}\n    {text}\n')
        if caret is not None:
            start, end = caret
            end = len(text) if end is None else end
            out.append("    " + " " * start + "^" * (end - start) + "\n")
    return "".join(out)


def os_fspath(value):
    import os
    value = os.fspath(value)
    return value.decode() if isinstance(value, bytes) else value


def _subprocess_view(ctx: ToolContext) -> dict:
    """subprocess (Lib/subprocess.py) for programs that read a tool's output: run,
    call, check_call, check_output with PIPE/DEVNULL/STDOUT, text/universal_newlines,
    input; os.popen() and os.system() through /bin/sh -c."""
    import subprocess as sp

    def decode(out: str, text: bool):
        return out if text else out.encode()

    def child(args, shell, stdout, stderr, input):
        # run()'s and Popen's child: PIPE or DEVNULL captures a stream, STDOUT sends
        # stderr where stdout goes
        captured = stdout in (sp.PIPE, sp.DEVNULL)
        return _run_child(ctx, args, shell, captured, input,
                          capture_err=stderr in (sp.PIPE, sp.DEVNULL),
                          merge=stderr == sp.STDOUT and captured)

    def run(args, *, stdin=None, input=None, stdout=None, stderr=None,
            capture_output=False, shell=False, check=False, text=None,
            universal_newlines=None, encoding=None, errors=None, timeout=None,
            cwd=None, env=None, frame=_RUN_POPEN_FRAME):
        textual = bool(text or universal_newlines or encoding or errors)
        if capture_output:
            stdout = stderr = sp.PIPE
        if isinstance(input, bytes):
            input = input.decode()
        try:
            out, status, shown, err = child(args, shell, stdout, stderr, input)
        except FileNotFoundError as error:
            raise _lib_frames(error, frame) from None
        result = sp.CompletedProcess(
            shown, status, decode(out, textual) if stdout == sp.PIPE else None,
            decode(err, textual) if stderr == sp.PIPE else None)
        if check and status:
            raise _lib_frames(sp.CalledProcessError(status, shown, result.stdout,
                                                    result.stderr), _RUN_RAISE_FRAME)
        return result

    def call(args, **kwargs):
        return run(args, frame=_CALL_FRAME, **kwargs).returncode

    def check_call(args, **kwargs):
        try:
            status = call(args, **kwargs)
        except FileNotFoundError as error:
            raise _lib_frames(error, _CHECK_CALL_FRAME) from None
        if status:
            raise _lib_frames(sp.CalledProcessError(status, args), _CHECK_CALL_RAISE_FRAME)
        return 0

    def check_output(args, **kwargs):
        kwargs.pop("stdout", None)
        try:
            return run(args, stdout=sp.PIPE, check=True, **kwargs).stdout
        except (FileNotFoundError, sp.CalledProcessError) as error:
            raise _lib_frames(error, _CHECK_OUTPUT_FRAME) from None

    def popen(cmd, mode="r", buffering=-1):
        if mode == "r":
            return io.StringIO(_run_child(ctx, cmd, True, True, None)[0])
        _run_child(ctx, cmd, True, False, None)
        return io.StringIO()

    def system(cmd):
        status = _run_child(ctx, cmd, True, False, None)[1]
        return status << 8 if status >= 0 else -status

    def getstatusoutput(cmd, *, encoding=None, errors=None):
        # Lib/subprocess.py: check_output(shell=True, text=True, stderr=STDOUT),
        # one trailing newline dropped
        data, status = _run_child(ctx, cmd, True, True, None, merge=True)[:2]
        return status, data[:-1] if data[-1:] == "\n" else data

    def getoutput(cmd, *, encoding=None, errors=None):
        return getstatusoutput(cmd)[1]

    class Popen:
        """Popen whose child has run to its end when it is made: communicate(),
        wait() and poll() give what it left."""

        def __init__(self, args, stdin=None, stdout=None, stderr=None, shell=False,
                     text=None, universal_newlines=None, encoding=None, errors=None,
                     cwd=None, env=None, bufsize=-1):
            textual = bool(text or universal_newlines or encoding or errors)
            try:
                out, status, shown, err = child(args, shell, stdout, stderr, None)
            except FileNotFoundError as error:
                raise _lib_frames(error) from None
            self.args, self.returncode = shown, None
            self._status = status
            wrap = io.StringIO if textual else (lambda t: io.BytesIO(t.encode()))
            self.stdout = wrap(out) if stdout == sp.PIPE else None
            self.stderr = wrap(err) if stderr == sp.PIPE else None
            self.stdin = None

        def wait(self, timeout=None):
            self.returncode = self._status
            return self.returncode

        poll = wait

        def communicate(self, input=None, timeout=None):
            self.wait()
            return (self.stdout.read() if self.stdout is not None else None,
                    self.stderr.read() if self.stderr is not None else None)

        def kill(self):
            pass

        terminate = kill

    return {"run": run, "call": call, "check_call": check_call,
            "getoutput": getoutput, "getstatusoutput": getstatusoutput, "Popen": Popen,
            "check_output": check_output, "popen": popen, "system": system,
            "PIPE": sp.PIPE, "DEVNULL": sp.DEVNULL, "STDOUT": sp.STDOUT,
            "CalledProcessError": sp.CalledProcessError,
            "CompletedProcess": sp.CompletedProcess,
            "SubprocessError": sp.SubprocessError}


def _pprint_view(stdout) -> dict:
    """pprint (Lib/pprint.py): its formatting as it is, printing to the program's
    sys.stdout."""
    import pprint

    def pp(obj, stream=None, **kwargs):
        pprint.pprint(obj, stream or stdout, **kwargs)

    def pp_unsorted(obj, *args, sort_dicts=False, **kwargs):
        pp(obj, *args, sort_dicts=sort_dicts, **kwargs)

    # no PrettyPrinter: its default stream is the emulator's own sys.stdout
    return {"pprint": pp, "pp": pp_unsorted, "pformat": pprint.pformat,
            "saferepr": pprint.saferepr}


STRUCT_NAMES = ("pack", "unpack", "calcsize", "iter_unpack", "unpack_from", "pack_into",
                "Struct", "error")
RANDOM_NAMES = ("seed", "random", "randint", "randrange", "choice", "choices", "sample",
                "shuffle", "uniform", "getrandbits", "gauss", "randbytes")
TIME_NAMES = ("time", "sleep", "strftime", "gmtime", "localtime", "monotonic", "ctime",
              "asctime", "mktime", "perf_counter", "time_ns")
# the families and constants one-liners pass to inet_pton/inet_ntop
SOCKET_CONSTANTS = ("AF_INET", "AF_INET6", "AF_UNSPEC", "AF_PACKET", "SOCK_STREAM",
                    "SOCK_DGRAM", "SOCK_RAW", "error", "gaierror", "herror", "timeout",
                    "SOL_SOCKET", "SO_BROADCAST", "SO_REUSEADDR", "SO_REUSEPORT",
                    "SO_BINDTODEVICE", "SO_TYPE", "INADDR_ANY", "INADDR_BROADCAST")


def _version_info():
    """sys.version_info: a named tuple printing as CPython's struct sequence does."""
    from collections import namedtuple

    class VersionInfo(namedtuple("version_info",
                                 "major minor micro releaselevel serial")):
        def __repr__(self) -> str:
            return "sys." + super().__repr__()
    return VersionInfo(*(int(n) for n in VERSION.split(".")), "final", 0)


def _environ(variables: dict[str, str]):
    """os.environ over the command's exported variables: CPython's own mapping (its
    KeyError comes from `<frozen os>`, as a traceback shows it), whose writes stay in
    the program (the real one calls putenv() on this process)."""
    import os

    class Environ(os._Environ):
        def __setitem__(self, key: str, value: str) -> None:
            self._data[self.encodekey(key)] = self.encodevalue(value)

        def __delitem__(self, key: str) -> None:
            try:
                del self._data[self.encodekey(key)]
            except KeyError:
                raise KeyError(key) from None

    def check(value):
        if not isinstance(value, str):
            raise TypeError("str expected, not %s" % type(value).__name__)
        return value
    return Environ(dict(variables), check, str, check, str)


def _socket_view(ctx: ToolContext, clock: list[float]) -> dict:
    """socket's pure conversions (CPython's own: they touch no socket), and the lookups
    on the simulated host: if_nameindex() over the namespace's devices, gethostbyname()
    through its resolver (nsswitch: /etc/hosts, then DNS)."""
    import socket

    netns, session = ctx.netns, ctx.session
    to_here: set[int] = set()   # ports this program's datagrams went to on this host

    def if_nameindex() -> list[tuple[int, str]]:
        return [(dev.ifindex, dev.name) for dev in netns.device_list()]

    def if_nametoindex(name: str) -> int:
        dev = netns.by_name(name) if isinstance(name, str) else None
        if dev is None:
            if not isinstance(name, str):
                raise TypeError("if_nametoindex(): argument 1 must be str, not "
                                + type(name).__name__)
            # socketmodule.c socket_if_nametoindex(): if_nametoindex() returned 0
            raise OSError("no interface with this name")
        return dev.ifindex

    def if_indextoname(index: int) -> str:
        dev = netns.by_index(index)
        if dev is None:
            raise OSError(6, "No such device or address")      # ENXIO from if_indextoname()
        return dev.name

    def _idna(host):
        # socketmodule.c idna_converter(): a str host goes to C as host.encode("idna")
        # (IDNA 2003 nameprep: full-width letters map to ASCII; recorded:
        # gethostbyname('ｌｏｃａｌｈｏｓｔ') is 127.0.0.1)
        if isinstance(host, str) and not host.isascii():
            try:
                return host.encode("idna").decode("ascii")
            except UnicodeError:
                return host
        return host

    def gethostbyname(name: str) -> str:
        from ipemu.tools.resolver import ResolveError, getaddrinfo
        name = _idna(name)
        try:
            return str(getaddrinfo(session, name, 4))
        except ResolveError as err:
            raise socket.gaierror(GAI_CODES.get(err.text, -2), err.text) from None

    def getfqdn(name: str = "") -> str:
        # socket.py getfqdn(): gethostbyaddr() of the name (its address, then that
        # address's /etc/hosts line: the first name, the aliases), the first dotted
        # one of those or the first; on failure the name itself
        from ipemu.tools.resolver import ResolveError, getaddrinfo, hosts_entries
        name = name.strip()
        if not name or name in ("0.0.0.0", "::"):
            name = ctx.host.hostname
        try:
            addr = getaddrinfo(session, name)
        except ResolveError:
            return name
        names = next((names for address, names in hosts_entries(session)
                      if address == addr), None)
        return next((n for n in names if "." in n), names[0]) if names else name

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0) -> list[tuple]:
        # getaddrinfo() for one family: /etc/hosts' addresses in file order, each for
        # SOCK_STREAM, SOCK_DGRAM, SOCK_RAW unless the type is given (glibc's gaih_inet)
        import ipaddress
        from ipemu.tools.resolver import ResolveError, hosts_entries, hosts_match
        from ipemu.tools.resolver import getaddrinfo as lookup
        if family not in (socket.AF_INET, socket.AF_INET6) or flags or proto or \
                not (port is None or isinstance(port, int)) or not isinstance(host, str):
            raise NotSimulated("socket.getaddrinfo of more than one family or a service")
        version = 4 if family == socket.AF_INET else 6
        host = _idna(host)
        try:
            addrs = [lookup(session, host, version)]
        except ResolveError as err:
            raise socket.gaierror(GAI_CODES.get(err.text, -2), err.text) from None
        try:
            ipaddress.ip_address(host)
        except ValueError:      # a name: every address of its hosts lines
            found = [a for a, names in hosts_entries(session)
                     if hosts_match(names, host) and a.version == version]
            addrs = list(dict.fromkeys(found)) or addrs
        kinds = [(socket.SocketKind(type), {1: 6, 2: 17}.get(type, 0))] if type else \
            [(socket.SOCK_STREAM, 6), (socket.SOCK_DGRAM, 17), (socket.SOCK_RAW, 0)]
        family = socket.AddressFamily(family)
        return [(family, kind, number, "",
                 (str(a), port or 0) if version == 4 else (str(a), port or 0, 0, 0))
                for a in addrs for kind, number in kinds]

    def make_socket(family=socket.AF_INET, type=socket.SOCK_STREAM, proto=0, fileno=None):
        if family not in (socket.AF_INET, socket.AF_INET6) or type != socket.SOCK_DGRAM \
                or proto not in (0, 17) or fileno is not None:
            raise NotSimulated("socket.socket other than a UDP one (AF_INET, SOCK_DGRAM)")
        return _DatagramSocket(ctx, 4 if family == socket.AF_INET else 6, clock, to_here)

    view = {name: getattr(socket, name) for name in
            ("inet_aton", "inet_ntoa", "inet_pton", "inet_ntop", "htons", "ntohs",
             "htonl", "ntohl", *SOCKET_CONSTANTS)}
    view.update(gethostname=lambda: ctx.host.hostname, if_nameindex=if_nameindex,
                if_nametoindex=if_nametoindex, if_indextoname=if_indextoname,
                gethostbyname=gethostbyname, getfqdn=getfqdn, getaddrinfo=getaddrinfo,
                socket=make_socket)
    return view


class _DatagramSocket:
    """socket.socket(AF_INET[6], SOCK_DGRAM) as a program uses it to send datagrams:
    sendto(DATA, (HOST, PORT)), connect() then send(), close(), a `with` block,
    getsockname(), and the SOL_SOCKET options a DHCP client script sets (SO_BROADCAST,
    SO_REUSEADDR, SO_REUSEPORT, SO_BINDTODEVICE). The first send (or connect()) binds
    an ephemeral port (inet_autobind()) that every later datagram leaves from; each
    goes out through the namespace's stack at once, its checksum left to the device
    as the kernel's UDP does. Its state is `_` names, which no sandboxed program can
    reach."""

    def __init__(self, ctx: ToolContext, version: int, clock: list[float],
                 to_here: set[int]) -> None:
        self._ctx = ctx
        self._to_here = to_here
        self._sent = False
        self._clock = clock       # the program's clock (time.sleep()'s)
        self._timeout = None      # settimeout(): None blocks, 0.0 does not
        self._version = version
        self._sport = None
        self._peer = None
        self._src = None          # the connected socket's source (inet_saddr)
        self._bound = None        # the address bind() gave (every datagram's source)
        self._closed = False
        self._broadcast = 0       # SO_BROADCAST (sock_valbool_flag(SOCK_BROADCAST))
        self._reuse = {2: 0, 15: 0}   # SO_REUSEADDR, SO_REUSEPORT
        self._device = None       # SO_BINDTODEVICE

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True

    def _address(self, address):
        import socket
        from ipemu.tools.resolver import ResolveError, getaddrinfo
        if not isinstance(address, tuple) or len(address) != (2 if self._version == 4 else 4) \
                and not (self._version == 6 and len(address) == 2):
            raise TypeError(f"{'AF_INET' if self._version == 4 else 'AF_INET6'} address "
                            "must be a tuple (host, port)")
        host, port = address[0], address[1]
        if host == "<broadcast>" and self._version == 4:
            host = "255.255.255.255"      # socketmodule.c setipaddr(): INADDR_BROADCAST
        elif host == "":
            # setipaddr(): an empty name is getaddrinfo(NULL, AI_PASSIVE): the wildcard
            host = "0.0.0.0" if self._version == 4 else "::"
        if not isinstance(port, int):
            raise TypeError(f"'{type(port).__name__}' object cannot be interpreted as an "
                            "integer")
        if not 0 <= port <= 65535:
            raise OverflowError("getsockaddrarg: port must be 0-65535.")
        try:
            addr = getaddrinfo(self._ctx.session, str(host), self._version)
        except ResolveError as err:
            raise socket.gaierror(GAI_CODES.get(err.text, -2), err.text) from None
        return addr, port

    def _send(self, data, addr, port) -> int:
        from ipemu.kernel.errors import KernelError
        from ipemu.tools.rtnl import strerror
        if self._closed:
            raise OSError(9, "Bad file descriptor")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"a bytes-like object is required, not '{type(data).__name__}'")
        try:
            sock = self._ctx.netns.stack.udp_connect(addr, port, self._device,
                                                     broadcast=bool(self._broadcast))
            if self._sport is None:
                self._sport = sock.sport
            sock.sport = self._sport
            if self._bound is not None:
                sock.src = self._bound         # inet_bind(): inet_saddr
            sock.send(bytes(data))
            self._sent = True
            if addr.is_loopback or addr in self._ctx.netns.local_addresses():
                self._to_here.add(port)
        except KernelError as err:
            raise OSError(int(err.errno), strerror(err.errno)) from None
        return len(data)

    def sendto(self, data, *args) -> int:
        address = args[-1] if args else None
        addr, port = self._address(address)
        return self._send(data, addr, port)

    def bind(self, address) -> None:
        """bind(('', PORT)) as `nc -u -p PORT` does: every datagram leaves from PORT
        (inet_bind(): a port of 0 leaves the choice to the first send's autobind). An
        address must be the wildcard or one of the namespace's (inet_bind():
        EADDRNOTAVAIL), and then the source of every datagram (inet_saddr) and what
        getsockname() shows."""
        if self._closed:
            raise OSError(9, "Bad file descriptor")
        if self._sport is not None:
            raise OSError(22, "Invalid argument")     # inet_bind(): already bound
        host, port = address[0] if isinstance(address, tuple) and address else None, None
        if isinstance(address, tuple) and len(address) >= 2:
            port = address[1]
        if host in ("", "0.0.0.0", "::"):
            if not isinstance(port, int):
                raise TypeError(f"'{type(port).__name__}' object cannot be interpreted as "
                                "an integer")
            if not 0 <= port <= 65535:
                raise OverflowError("bind(): port must be 0-65535.")
        else:
            addr, port = self._address(address)
            if addr not in self._ctx.netns.local_addresses():
                raise OSError(99, "Cannot assign requested address")
            self._bound = self._src = addr
        if port:
            self._sport = port

    def connect(self, address) -> None:
        """ip4_datagram_connect(): the route is looked up now (its error is connect()'s:
        ENETUNREACH, or EACCES for a broadcast one without SO_BROADCAST), the source
        it gives kept, and an unbound socket autobound (inet_dgram_connect())."""
        from ipemu.kernel.errors import KernelError
        from ipemu.tools.rtnl import strerror
        if self._closed:
            raise OSError(9, "Bad file descriptor")
        addr, port = self._address(address)
        try:
            sock = self._ctx.netns.stack.udp_connect(addr, port, self._device,
                                                     broadcast=bool(self._broadcast))
        except KernelError as err:
            raise OSError(int(err.errno), strerror(err.errno)) from None
        if self._sport is None:
            self._sport = sock.sport
        self._src = self._bound if self._bound is not None else sock.src
        self._peer = addr, port

    def settimeout(self, value) -> None:
        if value is not None:
            if not isinstance(value, (int, float)):
                raise TypeError("Timeout value must be int, float or None")
            if value < 0:
                raise ValueError("Timeout value out of range")
            value = float(value)
        self._timeout = value

    def gettimeout(self):
        return self._timeout

    def setblocking(self, flag) -> None:
        self._timeout = None if flag else 0.0

    def recvfrom(self, bufsize, flags: int = 0):
        """A client's reply that never comes: the datagrams this sandbox sends reach
        no program that answers (nothing in ipemu listens on UDP), and an unconnected
        socket is told no ICMP error (__udp4_lib_err() keeps one only for a connected
        socket). So recvfrom() times out after settimeout()'s seconds (sock_recvfrom()
        in socketmodule.c: TimeoutError "timed out"), is EAGAIN on a non-blocking
        socket, and otherwise waits until a signal ends the program."""
        if self._closed:
            raise OSError(9, "Bad file descriptor")
        if not isinstance(bufsize, int):
            raise TypeError(f"'{type(bufsize).__name__}' object cannot be interpreted as an "
                            "integer")
        if bufsize < 0:
            raise ValueError("negative buffersize in recvfrom")
        if self._peer is not None:
            raise NotSimulated("socket.recv of a connected socket (its ICMP errors)")
        if self._sport is not None and self._sport in self._to_here:
            # a datagram of this program's own may be waiting for it
            raise NotSimulated("socket.recvfrom of a datagram sent to this host")
        if self._timeout == 0.0:
            # the program takes no time: nothing else can have sent to it meanwhile
            raise BlockingIOError(11, "Resource temporarily unavailable")
        if not self._sent:
            # a server's wait: a client of another command could answer it
            raise NotSimulated("socket.recvfrom of a socket waiting for a request")
        if self._timeout is None:
            raise _Blocked()
        self._clock[0] += self._timeout
        raise TimeoutError("timed out")

    def recv(self, bufsize, flags: int = 0):
        return self.recvfrom(bufsize, flags)

    def getsockname(self):
        if self._closed:
            raise OSError(9, "Bad file descriptor")
        host = str(self._src) if self._src is not None else \
            ("0.0.0.0" if self._version == 4 else "::")
        if self._version == 4:
            return host, self._sport or 0
        return host, self._sport or 0, 0, 0

    def setsockopt(self, level, optname, value, *optlen) -> None:
        """sock_setsockopt() of the SOL_SOCKET options above: an int value is a flag
        (non-zero sets it), SO_BINDTODEVICE takes the device's name as bytes
        (sock_setbindtodevice(): up to the first NUL; an empty name unbinds, an
        unknown one is ENODEV)."""
        if self._closed:
            raise OSError(9, "Bad file descriptor")
        if optlen or level != 1 or optname not in (2, 6, 15, 25):
            raise NotSimulated("socket.setsockopt other than SOL_SOCKET's SO_BROADCAST, "
                               "SO_REUSEADDR, SO_REUSEPORT, SO_BINDTODEVICE")
        if optname == 25:
            if isinstance(value, str):
                raise TypeError("a bytes-like object is required, not 'str'")
            if not isinstance(value, (bytes, bytearray)):
                raise NotSimulated("socket.setsockopt SO_BINDTODEVICE of a non-bytes value")
            name = bytes(value[:15]).split(b"\0")[0].decode("latin-1")
            if not name:
                self._device = None
                return
            device = self._ctx.netns.by_name(name)
            if device is None:
                raise OSError(19, "No such device")
            self._device = device
            return
        if isinstance(value, (bytes, bytearray)):
            raise NotSimulated("socket.setsockopt of a flag given as bytes")
        if not isinstance(value, int):
            raise TypeError(f"a bytes-like object is required, not '{type(value).__name__}'")
        if optname == 6:
            self._broadcast = int(value != 0)
        else:
            self._reuse[optname] = int(value != 0)

    def getsockopt(self, level, optname, *buflen):
        if self._closed:
            raise OSError(9, "Bad file descriptor")
        if buflen or level != 1 or optname not in (2, 3, 6, 15):
            raise NotSimulated("socket.getsockopt other than SOL_SOCKET's SO_BROADCAST, "
                               "SO_REUSEADDR, SO_REUSEPORT, SO_TYPE")
        if optname == 3:
            return 2                       # SOCK_DGRAM
        return self._broadcast if optname == 6 else self._reuse[optname]

    def send(self, data, flags: int = 0) -> int:
        if self._peer is None:
            raise OSError(89, "Destination address required")
        return self._send(data, *self._peer)


# glibc's gai_strerror() texts and their EAI_ codes (netdb.h)
GAI_CODES = {"Name or service not known": -2, "Temporary failure in name resolution": -3,
             "Address family for hostname not supported": -9,
             "No address associated with hostname": -5}


def _time_view(ctx: ToolContext, clock: list[float]) -> dict:
    """time on the host's clock (TZ=UTC, as the recordings ran): sleep() moves the
    program's clock, and the host's by as much when the program ends (_execute())."""
    import time

    def sleep(seconds) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        clock[0] += float(seconds)

    def localtime(secs=None):
        # TZ=UTC: glibc's localtime() names the zone UTC (gmtime() says GMT)
        return time.struct_time(tuple(gmtime(secs)), {"tm_zone": "UTC", "tm_gmtoff": 0})

    def strftime(fmt: str, when=None) -> str:
        return time.strftime(fmt, localtime() if when is None else when)

    def gmtime(secs=None):
        return time.gmtime(clock[0] if secs is None else secs)

    def ctime(secs=None) -> str:
        return time.asctime(localtime(secs))

    def asctime(when=None) -> str:
        return time.asctime(localtime() if when is None else when)

    def mktime(when) -> float:
        import calendar
        return float(calendar.timegm(when))        # local time is UTC

    return {"time": lambda: clock[0], "time_ns": lambda: int(clock[0] * 1e9),
            "sleep": sleep, "strftime": strftime, "gmtime": gmtime, "localtime": localtime,
            "monotonic": lambda: clock[0], "perf_counter": lambda: clock[0],
            "ctime": ctime, "asctime": asctime, "mktime": mktime}


def _posixpath(name: str):
    import posixpath
    return getattr(posixpath, name)


class _View:
    """A module as the sandbox sees it: the attributes named, and `not simulated` for
    the rest of the real module's."""

    def __init__(self, name: str, attrs: dict) -> None:
        self._name = name
        self._attrs = attrs

    def __getattr__(self, attr: str):
        attrs = self.__dict__["_attrs"]
        if attr in attrs:
            return attrs[attr]
        raise NotSimulated(f"{self.__dict__['_name']}.{attr}")

    def __repr__(self) -> str:
        return f"<module '{self.__dict__['_name']}'>"


_SAFE_BUILTINS = (
    "abs all any ascii bin bool bytes callable chr complex dict divmod enumerate filter "
    "float format frozenset hash hex int isinstance issubclass iter len list map max min "
    "next oct ord pow range repr reversed round set slice sorted str sum tuple type zip "
    "ArithmeticError AssertionError AttributeError BaseException Exception "
    "FileNotFoundError ImportError IndexError KeyError KeyboardInterrupt LookupError "
    "ModuleNotFoundError NameError NotImplementedError OSError OverflowError "
    "RuntimeError StopIteration SystemExit TypeError UnicodeDecodeError ValueError "
    "ZeroDivisionError").split()
_TYPES_ATTRS = None


def _allowed_attrs() -> frozenset[str]:
    """Every attribute a sandboxed program may name: the public ones of the built-in
    types, of what the modules' views return, and of the views themselves (none of
    them reaches a frame, code or globals: those all start gi_/f_/co_/tb_ or `_`)."""
    global _TYPES_ATTRS
    if _TYPES_ATTRS is None:
        import ipaddress
        import json
        import re
        names = _public(str, bytes, int, float, complex, list, dict, set, frozenset,
                        tuple, range, slice, io.StringIO, BaseException, OSError,
                        json.JSONDecodeError, re.compile(""), re.match("", ""),
                        # instances: some attributes are set in __init__ (netmask)
                        ipaddress.ip_address("10.0.0.1"), ipaddress.ip_network("10.0.0.0/8"),
                        ipaddress.ip_interface("10.0.0.1/8"), ipaddress.ip_address("::1"),
                        ipaddress.ip_network("::/64"), ipaddress.ip_interface("::1/64"))
        names |= {"argv", "stdin", "stdout", "stderr", "exit", "platform", "version",
                  "maxsize", "byteorder", "executable", "version_info", "getcwd", "sep",
                  "linesep", "name", "path", "join", "basename",
                  "dirname", "splitext", "split", "normpath", "gethostname", "flush",
                  "exists", "isdir", "isfile", "uname", "listdir", "if_nameindex",
                  "if_nametoindex", "if_indextoname", "gethostbyname", "getfqdn",
                  "system", "node", "release", "machine", "environ", "getenv", "getuid",
                  "geteuid", "getgid", "getegid", "abspath", "major", "minor", "micro",
                  "releaselevel", "serial", "getaddrinfo", "socket", "sendto", "connect", "bind",
                  "send", "close", "setsockopt", "getsockopt", "getsockname", "settimeout",
                  "gettimeout", "setblocking", "recvfrom", "recv",
                  # subprocess, os.popen/system, pprint and what they return
                  "run", "call", "check_call", "check_output", "popen", "system",
                  "PIPE", "DEVNULL", "STDOUT", "CalledProcessError", "CompletedProcess",
                  "SubprocessError", "args", "returncode", "stdout", "stderr",
                  "check_returncode", "output", "cmd", "pprint", "pp", "pformat",
                  "saferepr", "getoutput", "getstatusoutput", "Popen", "communicate",
                  "wait", "poll", "kill", "terminate", "quote"}
        import os
        import random
        import socket
        import struct
        import time
        names |= set(STRUCT_NAMES + RANDOM_NAMES + TIME_NAMES + SOCKET_CONSTANTS)
        names |= {"inet_aton", "inet_ntoa", "inet_pton", "inet_ntop", "htons", "ntohs",
                  "htonl", "ntohl"}
        # what they return: uname_result, struct_time, Struct, gaierror
        names |= _public(os.uname(), time.gmtime(0), struct.Struct("!H"),
                         socket.gaierror(), socket.AF_INET)
        del random
        import math
        import string
        names |= {name for module in (math, ipaddress, string) for name in _public(module)
                  if not isinstance(getattr(module, name), type(sys))}   # not its imports
        names |= {"loads", "dumps", "load", "dump", "JSONDecodeError", "match", "search",
                  "fullmatch", "findall", "finditer", "sub", "subn", "compile", "escape"}
        bad = {name for name in names if name.startswith(("gi_", "cr_", "ag_", "f_", "co_",
                                                          "tb_"))}
        _TYPES_ATTRS = frozenset(names - bad - {"mro", "with_traceback"})
    return _TYPES_ATTRS


STEP = "__ipemu_step"            # names no program can write (a leading `_`: _check())
STEPPED = "__ipemu_stepped"


class _Bounded(ast.NodeTransformer):
    """Each loop turn counts a step (a while loop's body starts with STEP(); a for
    loop's and a comprehension's iterable is wrapped in STEPPED()), so a loop that
    never ends stops at STEP_LIMIT as `not simulated` instead of holding the host."""

    def visit_While(self, node: ast.While) -> ast.While:
        self.generic_visit(node)
        call = ast.Expr(ast.Call(ast.Name(STEP, ast.Load()), [], []))
        node.body.insert(0, ast.copy_location(call, node))
        return ast.fix_missing_locations(node)

    def _wrap(self, node):
        self.generic_visit(node)
        node.iter = ast.copy_location(
            ast.Call(ast.Name(STEPPED, ast.Load()), [node.iter], []), node.iter)
        return ast.fix_missing_locations(node)

    visit_For = _wrap
    visit_comprehension = _wrap


_REFUSED_NODES = (ast.ClassDef, ast.AsyncFunctionDef, ast.AsyncFor, ast.AsyncWith,
                  ast.Await, ast.Global, ast.Nonlocal)


def _check(tree: ast.AST, modules: dict) -> None:
    """Raise NotSimulated for what the sandbox does not run."""
    allowed = _allowed_attrs()
    for node in ast.walk(tree):
        if isinstance(node, _REFUSED_NODES):
            raise NotSimulated(type(node).__name__)
        if isinstance(node, ast.Attribute) and \
                (node.attr.startswith("_") or node.attr not in allowed):
            raise NotSimulated(f".{node.attr}")
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            raise NotSimulated(node.id)
        if isinstance(node, ast.FunctionDef) and node.name.startswith("_"):
            raise NotSimulated(node.name)
        if isinstance(node, ast.arg) and node.arg.startswith("_"):
            raise NotSimulated(node.arg)
        if isinstance(node, ast.alias) and node.name.startswith("_"):
            raise NotSimulated(node.name)
        if isinstance(node, ast.ImportFrom) and node.level:
            raise NotSimulated("a relative import")


def run_code(ctx: ToolContext, code: str, argv: list[str], filename: str = "<string>") -> int:
    stdin = io.StringIO("" if filename in ("<stdin>", "/dev/stdin") else (ctx.stdin or ""))
    try:
        tree = ast.parse(code, filename)
    except SyntaxError as err:
        import traceback
        ctx.term.err("".join(traceback.format_exception_only(type(err), err)))
        return 1
    modules = _modules(ctx, argv, stdin)
    try:
        _check(tree, modules)
    except NotSimulated as what:
        raise CommandError(f"ipemu: python3: `{what}` is not simulated\n", 1) from None
    status = _execute(ctx, tree, filename, modules, stdin, code)
    if status is BLOCKED:
        from ipemu.process import Forever
        return Forever(ctx.host, ctx.term)      # recvfrom() waits for ever
    slept = modules["time"].__dict__["_clock"][0] - ctx.host.clock.wall
    if slept > 0:
        return _Slept(ctx.host, ctx.term, slept, status)     # time.sleep()'s time passes
    return status


def _slept_class():
    from ipemu.process import Process, Sleep

    class Slept(Sleep):
        """The program's time.sleep()s, passing on the host's clock before it exits."""

        def __init__(self, host, term, seconds: float, status: int) -> None:
            Process.__init__(self, host, term)
            self.timer = host.clock.call_later(seconds, self, "exit", status)
    return Slept


def _Slept(host, term, seconds: float, status: int):
    return _slept_class()(host, term, seconds, status)


def _execute(ctx: ToolContext, tree: ast.AST, filename: str, modules: dict,
             stdin: io.StringIO, source: str = "") -> int:
    import builtins

    def sandbox_import(name, globals=None, locals=None, fromlist=(), level=0):
        root, *rest = name.split(".")
        if root in modules:
            leaf = modules[root]
            for part in rest:           # `import os.path`: a view of the view
                leaf = getattr(leaf, part)
                if not isinstance(leaf, _View):
                    raise NotSimulated(f"import {name}")
            return leaf if fromlist else modules[root]
        if root in sys.stdlib_module_names:
            raise NotSimulated(f"import {name}")
        raise ModuleNotFoundError(f"No module named '{name}'", name=name)

    def sandbox_print(*args, sep=" ", end="\n", file=None, flush=False):
        text = (" " if sep is None else sep).join(map(str, args)) + ("\n" if end is None else end)
        (file or modules["sys"].stdout).write(text)

    def sandbox_input(prompt=""):
        if prompt:
            ctx.term.out(str(prompt))
        line = stdin.readline()
        if not line:
            raise EOFError("EOF when reading a line")
        return line.rstrip("\n")

    def sandbox_open(name, mode="r", *args, **kwargs):
        if set(str(mode)) - set("rt"):
            raise NotSimulated(f"open(..., {mode!r})")
        from ipemu.tools.textio import read_input
        try:
            return io.StringIO(read_input(ctx, str(name)))
        except OSError as err:
            raise type(err)(err.errno, err.strerror, str(name)) from None

    def sandbox_exit(code=None):
        raise SystemExit(code)

    safe = {name: getattr(builtins, name) for name in _SAFE_BUILTINS}
    safe.update(__import__=sandbox_import, print=sandbox_print, input=sandbox_input,
                open=sandbox_open, exit=sandbox_exit, quit=sandbox_exit,
                EOFError=EOFError)
    steps = [0]

    def step():
        steps[0] += 1
        if steps[0] > STEP_LIMIT:
            raise NotSimulated(f"a program of more than {STEP_LIMIT} loop turns")

    def stepped(iterable):
        for item in iterable:
            step()
            yield item

    env = {"__builtins__": safe, "__name__": "__main__", STEP: step, STEPPED: stepped}
    code = compile(_Bounded().visit(tree), filename, "exec")
    # the program's own recursion limit, CPython's default 1000, over what the stack
    # here already uses (C calls count too: measured, not counted)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit + RECURSION_LIMIT - _depth_left())
    try:
        exec(code, env)
    except _Blocked:
        return BLOCKED
    except SystemExit as done:
        return _exit_status(ctx, done.code)
    except NotSimulated as what:
        raise CommandError(f"ipemu: python3: `{what}` is not simulated\n", 1) from None
    except Exception as err:            # noqa: BLE001 - the program's own error
        _traceback(ctx, err, filename, source)
        return 1
    finally:
        sys.setrecursionlimit(limit)
    return 0


BLOCKED = object()          # _execute(): the program waits in recvfrom() for ever
RECURSION_LIMIT = 1000      # CPython's default: a program's frames, its module's first


_PROBE = compile("def f(n):\n    try:\n        return f(n + 1)\n"
                 "    except RecursionError:\n        return n\nleft = f(1)\n",
                 "<probe>", "exec")


def _depth_left() -> int:
    """How many frames a program exec()'d from here has, its module's included: a
    probe run the program's way (exec(), then a function calling itself)."""
    env: dict = {"__builtins__": {"RecursionError": RecursionError}}
    exec(_PROBE, env)
    return env["left"] + 2       # the module frame, and the frame whose call failed


def _exit_status(ctx: ToolContext, code) -> int:
    """SystemExit as Python's handle_system_exit() reads it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    ctx.term.err(f"{code}\n")
    return 1


def _traceback(ctx: ToolContext, err: BaseException, filename: str = "<string>",
               source: str = "") -> None:
    """CPython's traceback: the program's frames (no source lines for `-c` text), the
    standard library's under Debian's /usr/lib/python3.11 (not the sandbox's own),
    then the exception."""
    import linecache
    import os
    import traceback
    # a script file's lines, as CPython reads them back for its frames (not for
    # `-c` or `<stdin>`); linecache's entry with no mtime is never checked on disk
    script = not filename.startswith("<")
    if script:
        saved = linecache.cache.get(filename)
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    try:
        shown = traceback.TracebackException(type(err), err, err.__traceback__)
    finally:
        if script:
            linecache.cache.pop(filename, None)
            if saved is not None:
                linecache.cache[filename] = saved
    shown.stack = traceback.StackSummary.from_list(
        [frame for frame in shown.stack if frame.filename != __file__])
    stdlib = os.path.dirname(os.__file__)
    text = "".join(shown.format()).replace(stdlib + "/", "/usr/lib/python3.11/")
    frames = getattr(err, "_ipemu_frames", None)
    if frames:      # subprocess's own frames (its functions here are the sandbox's)
        tail = "".join(shown.format_exception_only())
        text = text[:len(text) - len(tail)] + _format_lib_frames(frames) + tail
    ctx.term.err(text)
