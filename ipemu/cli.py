"""The `ipemu` command: the shell, one-shot commands, transcripts.

    ipemu [--profile P] [--scenario S] [--hostname H]          interactive shell
    ipemu -c 'COMMAND' [...]                                    run one line, exit with its status
    ipemu run [--profile P] [--scenario S] [--hostname H] FILE  print a console transcript
    ipemu check [--update] FILE|DIR...                          replay transcripts and compare

Only what a path needs is imported: `-c` and `run` never load the REPL.
"""
from __future__ import annotations

import sys


def _common(parser) -> None:
    parser.add_argument("--profile", default="default", help="tool versions (default, el7)")
    parser.add_argument("--scenario", default=None, help="host to start from (bare, default, or a .toml file)")
    parser.add_argument("--hostname", default=None, help="host name shown in the prompt")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random MACs")


def main(argv: list[str] | None = None) -> int:
    import argparse

    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("run", "check"):
        sub = argv[0]
        parser = argparse.ArgumentParser(prog=f"ipemu {sub}")
        _common(parser)
        if sub == "run":
            parser.add_argument("file")
            opts = parser.parse_args(argv[1:])
            from ipemu.transcript.runner import run_script
            return run_script(opts.file, profile=opts.profile, scenario=opts.scenario or "bare",
                              hostname=opts.hostname or "oracle", seed=opts.seed)
        parser.add_argument("--update", action="store_true",
                            help="rewrite the transcripts from ipemu's output")
        parser.add_argument("paths", nargs="+")
        opts = parser.parse_args(argv[1:])
        from ipemu.transcript.check import main as check_main
        return check_main(opts.paths, update=opts.update)
    parser = argparse.ArgumentParser(prog="ipemu", description="Linux networking emulator shell")
    _common(parser)
    parser.add_argument("-c", dest="command", help="run one command line and exit with its status")
    opts = parser.parse_args(argv)
    from ipemu.errors import CommandError
    from ipemu.session import Session
    try:
        session = Session.create(opts.profile, opts.scenario or "default", opts.hostname, opts.seed)
    except (CommandError, KeyError) as err:
        sys.stderr.write(getattr(err, "message", f"ipemu: unknown profile {err}\n"))
        return 2
    if opts.command is not None:
        term, status = session.run_line(opts.command)
        for stream, text in term.chunks:
            (sys.stdout if stream == "stdout" else sys.stderr).write(text)
            if stream == "stderr":
                sys.stdout.flush()
        return status
    from ipemu.shell.repl import run_repl
    return run_repl(session)


if __name__ == "__main__":
    sys.exit(main())
