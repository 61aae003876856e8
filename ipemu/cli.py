"""The `ipemu` command: the shell, one-shot commands, transcripts.

    ipemu [--profile P] [--scenario S] [--hostname H] [--name N]  interactive shell,
                                                                served as N for attach
    ipemu attach [NAME]                                         another terminal on a
                                                                running host
    ipemu -c 'COMMAND' [...]                                    run one line, exit with its status
    ipemu --name NAME -c 'COMMAND' [--home DIR]                 ... on the running host NAME
    ipemu run [--profile P] [--scenario S] [--hostname H] FILE  print a console transcript (profile: oracle-vm)
    --home DIR     the home (`~`, the working directory) holds DIR's real files; the shell
                   and -c default to the current directory, `run` keeps files in memory
    ipemu check [--update] FILE|DIR...                          replay transcripts and compare
    ipemu record SCRIPT [-o FILE]                               record a transcript on the real
                                                                kernel (root, in a new netns)
    ipemu doc [--check|--update|--clean] [--cast F] FILE.md|DIR  write and check the console
                                                                outputs of documents
    ipemu lab [NAME] [--seed N] | --verify [NAME...]            list the labs, open one, or
                                                                play their solutions
    ipemu shim DIR [--scenario S] [--profile P] [--name N]      write fake ip, ping, tcpdump...
                                                                into DIR (a host N on first use)
    ipemu stop [NAME]                                           end the host a shim started

Only what a path needs is imported: `-c` and `run` never load the REPL.
"""
# no `from __future__ import annotations` here nor in ipemu/codebundle.py: its
# import is a search of sys.path's folders, which the bundle spares the modules
# imported after it is there (codebundle.BundleFinder._located_spec())
import sys


def _common(parser) -> None:
    parser.add_argument("--profile", default="default", help="tool versions (default, el7)")
    parser.add_argument("--scenario", default=None, help="host to start from (bare, default, or a .toml file)")
    parser.add_argument("--hostname", default=None, help="host name shown in the prompt")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random MACs")
    parser.add_argument("--state", default=None, metavar="FILE",
                        help="load the host from FILE if it exists; save it there after "
                        "every command line")
    parser.add_argument("--timeout", type=_seconds, default=None, metavar="SECONDS",
                        help=TIMEOUT_HELP)


TIMEOUT_HELP = ("virtual seconds a command may run before it is interrupted as by Ctrl-C "
                "(default 3600; the interactive shell has no bound)")


def _seconds(text: str) -> float:
    """--timeout: a positive number of virtual seconds."""
    import argparse
    import math
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"invalid number of seconds: '{text}'")
    return value


def _set_timeout(seconds: float | None) -> None:
    if seconds is not None:
        from ipemu.process import Bound
        Bound.seconds = seconds


_VALUE_OPTS = {"--profile": "profile", "--scenario": "scenario", "--hostname": "hostname",
               "--seed": "seed", "-c": "command", "--state": "state", "--home": "home",
               "--timeout": "timeout", "--name": "name"}
HOME_HELP = "real directory behind the home (~); nothing outside it is touched"


def _fast_options(argv: list[str]) -> dict | None:
    """The options of the shell and `-c` without argparse (which costs ~10 ms per start);
    None when argparse must handle them (help, errors, subcommands)."""
    found = {"profile": "default", "scenario": None, "hostname": None, "seed": "0",
             "command": None, "state": None, "home": None, "timeout": None, "name": None}
    i = 0
    while i < len(argv):
        word = argv[i]
        key, eq, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if key not in _VALUE_OPTS:
            return None
        if not eq:
            i += 1
            if i >= len(argv):
                return None
            value = argv[i]
        found[_VALUE_OPTS[key]] = value
        i += 1
    if not found["seed"].isdigit():
        return None
    found["seed"] = int(found["seed"])
    if found["timeout"] is not None:
        try:
            found["timeout"] = _seconds(found["timeout"])
        except Exception:      # argparse says why
            return None
    return found


def main(argv: list[str] | None = None) -> int:
    """`ipemu ...`; `argv` None: this process's own arguments, and the process is
    the command's (a one-shot line may end it at once, its output flushed)."""
    process = argv is None
    argv = sys.argv[1:] if argv is None else argv
    fast = None if argv and argv[0] in ("run", "check", "record", "attach", "doc", "lab",
                                        "shim", "stop") else _fast_options(argv)
    if fast is not None and fast["name"] is not None and fast["command"] is not None:
        return _on_host(fast, process)
    _raw_stdout()
    if fast is not None:
        _set_timeout(fast.pop("timeout"))
        return _shell(**fast, process=process)
    import argparse

    if argv and argv[0] == "record":
        parser = argparse.ArgumentParser(
            prog="ipemu record", description="run a script on the real kernel, in a fresh "
            "network namespace (root, Linux), and write its transcript")
        parser.add_argument("script")
        parser.add_argument("-o", "--output", help="transcript file (default: stdout)")
        parser.add_argument("--hostname", default="oracle", help="host name in the prompt")
        opts = parser.parse_args(argv[1:])
        from ipemu.transcript.record import main as record_main
        return record_main(opts.script, opts.output, opts.hostname)
    if argv and argv[0] == "attach":
        parser = argparse.ArgumentParser(
            prog="ipemu attach", description="open another terminal on a running host")
        parser.add_argument("name", nargs="?", help="the host's --name (default: default)")
        opts = parser.parse_args(argv[1:])
        from ipemu.shell.attach import attach
        return attach(opts.name)
    if argv and argv[0] in ("shim", "stop"):
        from ipemu import shim
        return (shim.main if argv[0] == "shim" else shim.stop_main)(argv[1:])
    if argv and argv[0] == "doc":
        return _doc(argv[1:])
    if argv and argv[0] == "lab":
        return _lab(argv[1:])
    if argv and argv[0] in ("run", "check"):
        sub = argv[0]
        parser = argparse.ArgumentParser(prog=f"ipemu {sub}")
        _common(parser)
        if sub == "run":
            parser.add_argument("file")
            parser.add_argument("--home", default=None, help=HOME_HELP + " (default: in memory)")
            opts = parser.parse_args(argv[1:])
            _set_timeout(opts.timeout)
            home = _real_home(opts.home) if opts.home is not None else None
            if home is None and opts.home is not None:
                return 2
            from ipemu.transcript.runner import ORACLE_PROFILE, run_script
            # a case as the oracle's recorder runs it, on its machine's kernel (no
            # dummy, 8021q, gre... drivers, no netem): unless --profile says otherwise
            given = any(a == "--profile" or a.startswith("--profile=") for a in argv[1:])
            return run_script(opts.file, profile=opts.profile if given else ORACLE_PROFILE,
                              scenario=opts.scenario or "bare",
                              hostname=opts.hostname or "oracle", seed=opts.seed,
                              state_path=opts.state, home=home)
        parser.add_argument("--update", action="store_true",
                            help="rewrite the transcripts from ipemu's output")
        parser.add_argument("paths", nargs="+")
        opts = parser.parse_args(argv[1:])
        _set_timeout(opts.timeout)
        from ipemu.transcript.check import main as check_main
        return check_main(opts.paths, update=opts.update)
    parser = argparse.ArgumentParser(prog="ipemu", description="Linux networking emulator shell")
    _common(parser)
    parser.add_argument("-c", dest="command", help="run one command line and exit with its status")
    parser.add_argument("--home", default=None,
                        help=HOME_HELP + " (default: the current directory)")
    parser.add_argument("--name", default=None,
                        help="the name `ipemu attach NAME` opens another terminal with")
    opts = parser.parse_args(argv)
    _set_timeout(opts.timeout)
    return _shell(opts.profile, opts.scenario, opts.hostname, opts.seed, opts.command,
                  opts.state, opts.home, opts.name, process)


# the options that make a new host, which a line for a running one cannot take
_NEW_HOST = {"profile": "default", "scenario": None, "hostname": None, "seed": 0,
             "state": None, "timeout": None}


def _on_host(opts: dict, process: bool) -> int:
    """`ipemu --name NAME -c LINE`: the line on the running host NAME (the interactive
    `ipemu --name NAME`, or the host a shim started), in a terminal of its own as
    `ipemu attach NAME` opens; the working directory (or --home) is its home, as a
    shim's call has. Imports only what the shim does (ipemu/shim/client.py)."""
    import os
    for key, default in _NEW_HOST.items():
        if opts[key] != default:
            option = "--" + key
            sys.stderr.write(f"ipemu: {option} makes a new host: it does not apply to "
                             f"-c on the running host {opts['name']}\n")
            return 2
    name = opts["name"]
    if not (0 < len(name) <= 64 and name.isascii() and name[0].isalnum() and
            all(c.isalnum() or c in "._-" for c in name)):
        # attach.socket_path()'s rule
        sys.stderr.write(f"ipemu: bad host name '{name}' (letters, digits, '.', '_', '-')\n")
        return 1
    home = _real_home(os.getcwd() if opts["home"] is None else opts["home"])
    if home is None:
        return 2
    from ipemu.shim.client import run_line
    sys.stdout.flush()
    return run_line(name, opts["command"], home, process)


def _doc(argv: list[str]) -> int:
    import argparse
    parser = argparse.ArgumentParser(
        prog="ipemu doc", description="run the console blocks of Markdown (or cram .t) "
        "documents on one simulated host each and write or check their outputs")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", dest="mode", action="store_const", const="check",
                      help="change nothing; print a diff of each stale document, exit 1")
    mode.add_argument("--update", dest="mode", action="store_const", const="update",
                      help="write the outputs back (the default)")
    mode.add_argument("--clean", dest="mode", action="store_const", const="clean",
                      help="blank the outputs")
    parser.add_argument("--cast", metavar="FILE",
                        help="write the document's session as an asciicast v2 recording")
    parser.add_argument("paths", nargs="+", metavar="FILE|DIR")
    opts = parser.parse_args(argv)
    from ipemu.doc.main import main as doc_main
    return doc_main(opts.paths, opts.mode or "update", opts.cast)


def _columns() -> int | None:
    """The width `ls` lays its columns out in: the terminal's, None when standard
    output is not a terminal (one name a line, as GNU ls does in a pipe)."""
    if not sys.stdout.isatty():
        return None
    import shutil       # only on a terminal: it imports bz2 and lzma (~2 ms)
    return shutil.get_terminal_size().columns


def _lab(argv: list[str]) -> int:
    import argparse
    import os
    parser = argparse.ArgumentParser(
        prog="ipemu lab", description="labs that check themselves: without NAME, list "
        "them; with NAME, open the shell on the lab's host")
    parser.add_argument("names", nargs="*", metavar="NAME", help="a lab (or a .toml file)")
    parser.add_argument("--verify", action="store_true", help="play each lab's reference "
                        "solution on a fresh host and check its goals")
    parser.add_argument("--seed", type=int, default=0, help="the learner's variant")
    parser.add_argument("--profile", default="default", help="tool versions")
    parser.add_argument("--home", default=None, help=HOME_HELP)
    parser.add_argument("--name", default=None, help="the name `ipemu attach NAME` opens "
                        "another terminal with")
    opts = parser.parse_args(argv)
    from ipemu.labs import main as labs
    if opts.verify:
        return labs.verify_labs(opts.names, opts.seed, opts.profile)
    if not opts.names:
        return labs.list_labs()
    if len(opts.names) > 1:
        parser.error("one lab at a time")
    home = _real_home(os.getcwd() if opts.home is None else opts.home)
    if home is None:
        return 2
    return labs.open_lab(opts.names[0], opts.seed, opts.profile, home, opts.name)


# the kernel's tools: none is a bash builtin, keyword or the shell itself, so bash runs
# a line of one of them with plain words by execve() of the tool, nothing more
_PLAIN_TOOLS = frozenset(("ip", "ping", "ping4", "ping6", "route", "ifconfig", "arp",
                          "netstat", "ss", "arping", "bridge", "tcpdump", "sysctl",
                          "traceroute", "tracepath"))
# characters that mean nothing to bash's parser or its expansions (no quote, $, glob,
# tilde, brace, comment, operator or redirection): such a word is its own argv word
_PLAIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789_./:@%+,=-")


def _plain_command(line: str, session) -> list[str] | None:
    """The argv of a line that is one of the kernel's tools with plain words (`ip link
    show`, `ping -c 1 10.0.2.2`), which the shell would run without expanding
    anything; None for anything else, which the shell's interpreter runs. (A fresh
    -c shell: no functions, and no `set -x`/`-v`/`-n` to trace the line.)"""
    argv = line.split()
    if not argv or argv[0] not in _PLAIN_TOOLS or "\n" in line or \
            not _PLAIN_CHARS.issuperset(line.replace(" ", "").replace("\t", "")):
        return None
    sh = session.sh
    if sh.functions or sh.options & {"xtrace", "verbose", "noexec"}:
        return None
    return argv


def _run_tool(session, argv: list[str]):
    """What the interpreter's invoke_tool() does for that line (bash/interp.py): the
    tool, waited for on virtual time; its terminal and exit status."""
    from ipemu.process import Process, wait_for
    from ipemu.tools.context import Terminal
    term = Terminal()
    session.stdout_tty = session.columns is not None
    session.tool_shell = session.sh
    from ipemu.session import EXEC_TIME
    session.host.clock.advance(EXEC_TIME)      # the program's start, as invoke_tool()
    try:
        result = session.dispatch(argv, term)
    finally:
        session.tool_shell = None
    if isinstance(result, Process):
        if not result.done:
            wait_for(session.host, result, limit=result.wait_limit)
        result = result.status
    session.last_status = result
    return term, result


def _exit_now(status: int) -> None:
    """End the process once its output is out, without tearing the interpreter down
    (freeing every module and object of the host costs a one-shot ~10 ms). Files are
    closed as they are written (ipemu/files.py, state.save); when the flush fails
    (a closed pipe) the ordinary exit reports it."""
    import os
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    if _BUNDLE is not None:
        from ipemu.codebundle import save
        save(_BUNDLE)       # the output is out: a rare rewrite costs no one a wait
    os._exit(status & 0xFF)


_BUNDLE = None      # the one-shot start's codebundle.BundleFinder


def _raw_stdout() -> None:
    """Bytes a command printed that are not UTF-8 (surrogate escapes in ipemu's text)
    go out as the same bytes, as a real terminal gets them."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="surrogateescape")
        except (AttributeError, ValueError):
            pass       # not a text stream that can change (a test's capture)


def _real_home(path: str) -> str | None:
    """The directory `--home` names, made absolute; None (after saying why) when it
    is not a directory."""
    import os
    if not os.path.isdir(path):
        reason = "Not a directory" if os.path.exists(path) else "No such file or directory"
        sys.stderr.write(f"ipemu: --home {path}: {reason}\n")
        return None
    return os.path.abspath(path)


def collect_after_boot() -> None:
    """The one-shot start made its modules and its booted host with the collector
    off: some thousands of objects that live until the process ends, which the
    young generations' collections would walk several times over (~1 ms of a
    start) and every full one again. They are frozen as they are (gc.freeze(), as
    a forking server does before its children) and the collector is back for
    what the line makes, as ip_batch's _young_collections() leaves it."""
    import gc
    gc.freeze()
    gc.enable()


def _shell(profile: str, scenario: str | None, hostname: str | None, seed: int,
           command: str | None, state: str | None = None, home: str | None = None,
           name: str | None = None, process: bool = False) -> int:
    import os
    one_shot = process and command is not None
    if one_shot:
        # one line, then the process ends: ipemu's modules from one file, and no
        # collections while they and the booted host are made (collect_after_boot())
        import gc
        gc.disable()
        from ipemu import codebundle
        global _BUNDLE
        _BUNDLE = codebundle.install()

    from ipemu.errors import CommandError
    from ipemu.session import Session
    from ipemu.state import StateError
    from ipemu.state import save as save_state
    real_home = _real_home(os.getcwd() if home is None else home)
    if real_home is None:
        return 2
    try:
        session = Session.open(state, profile, scenario or "default", hostname, seed,
                               real_home)
    except (CommandError, KeyError) as err:
        sys.stderr.write(getattr(err, "message", f"ipemu: unknown profile {err}\n"))
        return 2
    except StateError as err:
        sys.stderr.write(f"{err}\n")
        return 2
    session.columns = _columns()
    session.winsize = session.columns or 0
    # `ipemu -c LINE` is `bash -c LINE`; with --state, the saved shell goes on
    session.bash_c = command is not None and state is None
    if one_shot:
        session.process_ends = True
        collect_after_boot()
    if command is not None:
        plain = _plain_command(command, session) if state is None else None
        term, status = session.run_line(command) if plain is None else \
            _run_tool(session, plain)
        if state is not None:
            save_state(state, session)
        for stream, text in term.chunks:
            if stream == "stderr":
                sys.stdout.flush()  # keep the order the tool wrote in
                sys.stderr.write(text)
            else:
                sys.stdout.write(text)
        if process:
            _exit_now(status)
        return status
    from ipemu.shell.repl import run_repl
    return run_repl(session, after_line=None if state is None else
                    (lambda: save_state(state, session)), name=name)


if __name__ == "__main__":
    sys.exit(main())
