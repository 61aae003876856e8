"""The recording machine's docker CLI (28.2.2, /usr/local/bin/docker) with no daemon
behind it: container tutorials type `docker ps`, `docker inspect --format
'{{.State.Pid}}' C`, `docker network inspect bridge` before building the same by
hand, and on that machine each such command says it cannot reach the daemon.

What docker/cli does there (recorded in tests/oracle_cases/tutorials41e_docker_*):
- a command that asks the daemon: the client's error on stderr, status 1;
- `run` and `create`: the error prefixed `docker: `, then `Run 'docker run --help'
  for more information` (cli.StatusError), status 125;
- `inspect` (of any object) prints what its formatter has for no objects first: `[]`
  with the default JSON, an empty line with `--format`/`-f`;
- `version` and `info` print the client's half first (stdout) then the error;
- an unknown command: `docker: unknown command: docker WORD` and the usage hint;
- no command: the help (tools/usage/docker.txt, this CLI without plugins) on stderr,
  status 0; `--help` / `-h` the same on stdout.
"""
from __future__ import annotations

from ipemu.tools.context import ToolContext


def _help() -> str:
    from ipemu.profiles import usage_file
    return usage_file("docker").read_text(encoding="utf-8")

VERSION = "28.2.2"
BUILD = "e6534b4"
NO_DAEMON = ("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
             "Is the docker daemon running?\n")
CLIENT_VERSION = (
    "Client:\n"
    f" Version:           {VERSION}\n"
    " API version:       1.50\n"
    " Go version:        go1.24.3\n"
    f" Git commit:        {BUILD}\n"
    " Built:             Fri May 30 12:07:14 2025\n"
    " OS/Arch:           linux/amd64\n"
    " Context:           default\n")
CLIENT_INFO = (
    "Client:\n"
    f" Version:    {VERSION}\n"
    " Context:    default\n"
    " Debug Mode: false\n\nServer:\n")
# the commands docker --help lists (no plugins: no buildx, compose)
COMMANDS = {
    "run", "exec", "ps", "build", "pull", "push", "images", "login", "logout", "search",
    "version", "info", "builder", "checkpoint", "container", "context", "image",
    "manifest", "network", "plugin", "system", "trust", "volume", "config", "node",
    "secret", "service", "stack", "swarm", "attach", "commit", "cp", "create", "diff",
    "events", "export", "history", "import", "inspect", "kill", "load", "logs", "pause",
    "port", "rename", "restart", "rm", "rmi", "save", "start", "stats", "stop", "tag",
    "top", "unpause", "update", "wait",
}
# global options that take a value (docker --help's "Global Options")
GLOBAL_VALUED = {"-c", "--context", "--config", "-H", "--host", "-l", "--log-level",
                 "--tlscacert", "--tlscert", "--tlskey"}


def main(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if opt in ("-h", "--help"):
            ctx.term.out(_help())
            return 0
        if opt in ("-v", "--version"):
            ctx.term.out(f"Docker version {VERSION}, build {BUILD}\n")
            return 0
        if opt in GLOBAL_VALUED and args:
            args.pop(0)
    if not args:
        ctx.term.err(_help())
        return 0
    command = args[0]
    if command not in COMMANDS:
        ctx.term.err(f"docker: unknown command: docker {command}\n\n"
                "Run 'docker --help' for more information\n")
        return 1
    rest = args[1:]
    words = [w for w in rest if not w.startswith("-")]
    if command == "container" and words[:1] in (["run"], ["create"]):
        command = words[0]
    if command in ("run", "create"):
        ctx.term.err(f"docker: {NO_DAEMON}\nRun 'docker {command} --help' for more information\n")
        return 125
    if command == "version":
        ctx.term.out(CLIENT_VERSION)
    elif command == "info" or (command == "system" and words[:1] == ["info"]):
        ctx.term.out(CLIENT_INFO)
    elif command == "inspect" or words[:1] == ["inspect"]:
        formatted = any(w in ("-f", "--format") or w.startswith(("--format=", "-f="))
                        for w in rest)
        ctx.term.out("\n" if formatted else "[]\n")
    ctx.term.err(NO_DAEMON)
    return 1
