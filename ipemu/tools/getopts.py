"""Command lines parsed like glibc getopt_long(3) (argument permutation included), on
top of the standard library's getopt, with glibc's messages."""
from __future__ import annotations

import getopt


class OptionError(Exception):
    """`message` is what glibc prints (`PROG: invalid option -- 'x'`)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse(prog: str, args: list[str], shortopts: str, longopts: list[str] | None = None
          ) -> tuple[list[tuple[str, str]], list[str]]:
    try:
        return getopt.gnu_getopt(args, shortopts, longopts or [])
    except getopt.GetoptError as err:
        opt = err.opt
        if len(opt) > 1:
            if "must not have" in err.msg:
                raise OptionError(f"{prog}: option '--{opt}' doesn't allow an argument")
            if "requires" in err.msg:
                raise OptionError(f"{prog}: option '--{opt}' requires an argument")
            raise OptionError(f"{prog}: unrecognized option '--{opt}'")
        if "requires" in err.msg:
            raise OptionError(f"{prog}: option requires an argument -- '{opt}'")
        raise OptionError(f"{prog}: invalid option -- '{opt}'")
