"""systemd's tools and sysvinit's `service` on a host whose PID 1 is not systemd (a
fresh namespace, as the recorders run each line: the oracle's VM has no running
systemd there). Recorded on the project's Debian 12 machine (systemd 252): the
client tools refuse (sd_booted() is false: bus_connect_transport_systemd()'s error,
then the bus connection's), journalctl finds no journal, and `service NAME` finds no
/etc/init.d script."""
from __future__ import annotations

from ipemu.tools.context import ToolContext

NOT_BOOTED = ("System has not been booted with systemd as init system (PID 1). "
              "Can't operate.")
NO_BUS = "Failed to connect to bus: Host is down"
SYSTEMD_VERSION = (
    "systemd 252 (252.39-1~deb12u2)\n"
    "+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL "
    "+BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 "
    "-PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK "
    "-XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified\n")
SERVICE_USAGE = ("Usage: service < option > | --status-all | "
                 "[ service_name [ command | --full-restart ] ]\n")


def _log(ctx: ToolContext, text: str, colour: str = "0;1;31") -> None:
    """log_dispatch() to the console (stderr): write_to_console() ends a line with
    "\\r\\n" when that is a terminal (its ONLCR cannot be counted on), and
    highlights it when stdout is one too (on_tty())."""
    err_tty = getattr(ctx.session, "stderr_tty", False)
    if err_tty and getattr(ctx.session, "stdout_tty", False):
        text = f"\x1b[{colour}m{text}\x1b[0m"
    ctx.term.err(text + ("\r\n" if err_tty else "\n"))


def _version(argv: list[str]) -> bool:
    return any(a == "--version" for a in argv[1:])


def main(ctx: ToolContext, argv: list[str]) -> int:
    name = argv[0].rsplit("/", 1)[-1]
    if name == "service":
        return _service(ctx, argv)
    if _version(argv):
        ctx.term.out(SYSTEMD_VERSION)
        return 0
    if name == "journalctl":
        return _journalctl(ctx, argv)
    if name == "networkctl":
        # networkd's varlink/bus: the system bus socket is not there
        _log(ctx, "Failed to connect system bus: No such file or directory")
        return 1
    _log(ctx, NOT_BOOTED)
    _log(ctx, NO_BUS)
    return 1


def _journalctl(ctx: ToolContext, argv: list[str]) -> int:
    """No journal files (none were written in this namespace's /var/log/journal):
    the notice, then `-- No entries --` (through the pager on a terminal)."""
    tty = getattr(ctx.session, "stdout_tty", False)
    _log(ctx, "No journal files were found.", "0;1;39")
    pager = tty and not any(a in ("--no-pager", "-f", "--follow") for a in argv[1:])
    if pager:
        # less -FRXMK (journalctl's pager): keypad mode on, the line, then off again
        ctx.term.out("\x1b[?1h\x1b=\r-- No entries --\x1b[m\r\n\r\x1b[K\x1b[?1l\x1b>")
    else:
        ctx.term.out("-- No entries --\n")
    return 0


def _service(ctx: ToolContext, argv: list[str]) -> int:
    """sysvinit-utils' service(8): a name with no /etc/init.d script and no systemd."""
    args = argv[1:]
    if not args or args[0] in ("-h", "--help"):
        ctx.term.err(SERVICE_USAGE)
        return 1 if not args else 0
    if args[0] == "--version":
        ctx.term.out("service ver. 1.65.2\n")
        return 0
    if args[0] == "--status-all":
        return 0
    ctx.term.err(f"{args[0]}: unrecognized service\n")
    return 1
