"""bpf_do_parse() (iproute2 6.1 lib/bpf_legacy.c) as the callers with eBPF programs
only use it (ip link's xdp, ip route's encap bpf): the mode word, the object, and
why nothing is loaded here. No program can be loaded on this host: an object file
fails in bpf_obj_open(), a pinned path in BPF_OBJ_GET (no bpffs holds one)."""
from __future__ import annotations

from ipemu.tools.ipargs import incomplete_command, matches


def bpf_parse_error(argv: list[str], i: int, ctx) -> str:
    """The text bpf_parse_and_load_common() prints for the mode word at argv[i]:
    `obj`/`object-file` an object file (`Cannot initialize ELF context!`),
    `pinned`/`object-pinned`/`fd` a pinned path (bpf_obj_pinned(): ENOENT, or EACCES
    for a file that is not a BPF object, when `ctx` can tell), anything else `What
    mode is`. A missing path is NEXT_ARG()'s incomplete command."""
    mode = argv[i]
    if mode == "obj" or matches(mode, "object-file"):
        pinned = False
    elif matches(mode, "object-pinned") or matches(mode, "pinned") or matches(mode, "fd"):
        pinned = True
    else:
        return f'What mode is "{mode}"?\n'
    if i + 1 >= len(argv):
        raise incomplete_command()
    path = argv[i + 1]
    if not pinned:
        return "Cannot initialize ELF context!\n"
    error = "No such file or directory"
    if ctx is not None:
        fs = ctx.session.fs
        if fs.exists(fs.resolve(path, ctx.session.cwd)):
            error = "Permission denied"
    return f"Couldn't retrieve pinned program '{path}': {error}\n"
