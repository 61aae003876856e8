"""An ipemu shim: this file, copied under a tool's name (`ip`, `ping`, `tcpdump`, ...)
by `ipemu shim DIR`, runs that tool on a named ipemu host instead of the real one.

It sends its argv, working directory, remembered namespace (IPEMU_NETNS) and, where the
tool reads it, standard input to the host's socket, writes what the host's tool prints
as it comes, relays the signals it gets (a killed tcpdump prints its trailer) and exits
with the tool's status. The host is started in the background on first use. When it
can be neither reached nor started the shim says so and fails: it never runs the real
tool. The protocol is in ipemu/shim/host.py.

Start-up is most of a call's cost, so this imports no part of ipemu and only builtin
modules (no json, socket or subprocess: _json, _socket, _signal). `ipemu --name NAME -c
LINE` imports it too (run_line()): a line for a running host costs a bare Python's start.
"""
import os
import sys

import _signal
import _socket

# written by `ipemu shim` (ipemu/shim/__init__.py)
NAME = "default"
SCENARIO = "default"
PROFILE = "default"
PYTHON = sys.executable
IPEMU_ROOT = ""
TOOLS = ("ip",)

SIGNALS = {_signal.SIGINT: "INT", _signal.SIGTERM: "TERM", _signal.SIGHUP: "HUP",
           _signal.SIGQUIT: "QUIT"}
START_SECONDS = 60.0      # a first boot builds the scenario's snapshot
FAILED = 1


class ShimError(Exception):
    pass


# ------------------------------------------------------------------ JSON lines
try:
    import _json

    class _Decoder:       # what json.decoder.JSONDecoder gives the C scanner
        strict = True
        object_hook = None
        object_pairs_hook = None
        parse_float = float
        parse_int = int
        parse_constant = None
        memo = {}

    _scan = _json.make_scanner(_Decoder())
    _quote = _json.encode_basestring_ascii

    def decode(line):
        return _scan(line, 0)[0]

    def encode(value):
        if value is None:
            return "null"
        if isinstance(value, str):
            return _quote(value)
        if isinstance(value, list):
            return "[" + ", ".join(encode(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ", ".join(_quote(k) + ": " + encode(v)
                                   for k, v in value.items()) + "}"
        return str(value)
except Exception:      # not CPython (no _json scanner): the json module
    import json
    decode, encode = json.loads, json.dumps


# ------------------------------------------------------------------ the socket
def socket_dir():
    """The private directory of the user's host sockets (ipemu/shell/attach.py's
    socket_dir()): made if missing, refused unless it is ours alone."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    path = os.path.join(runtime, "ipemu") if runtime else "/tmp/ipemu-%d" % os.getuid()
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(path)
    if (info.st_mode & 0o170000) != 0o040000 or info.st_uid != os.getuid() or \
            info.st_mode & 0o077:
        raise ShimError("%s: not a private directory (want mode 0700, yours)" % path)
    return path


def connect(path):
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        raise
    return sock


def start_host(where):
    """Start the host in the background (its own session, its output to NAME.log,
    not a child of the script) and wait until it serves or says why it cannot."""
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            if os.fork():
                os._exit(0)
            null = os.open("/dev/null", os.O_RDWR)
            log = os.open(os.path.join(where, NAME + ".log"),
                          os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.dup2(null, 0)
            os.dup2(log, 1)
            os.dup2(log, 2)
            os.dup2(ready_w, 3)
            os.closerange(4, 65536)      # nothing of the script's (a pipe) stays open
            os.chdir("/")
            env = dict(os.environ)
            env.pop("IPEMU_NETNS", None)
            code = ("import sys; sys.path.insert(0, %r); from ipemu.shim.server import "
                    "main; sys.exit(main(sys.argv[1:]))" % IPEMU_ROOT)
            os.execve(PYTHON, [PYTHON, "-I", "-c", code, "--name", NAME, "--scenario",
                               SCENARIO, "--profile", PROFILE, "--ready-fd", "3"], env)
        finally:
            os._exit(127)
    os.close(ready_w)
    os.waitpid(pid, 0)
    said = b""
    while True:
        chunk = os.read(ready_r, 4096)
        if not chunk:
            break
        said += chunk
    os.close(ready_r)
    if not said.startswith(b"ok"):
        reason = said.decode("utf-8", "replace").strip() or \
            "it ended at start-up (see %s)" % os.path.join(where, NAME + ".log")
        raise ShimError(reason)


def open_host(start=True):
    """A connection to the named host, started first when it is not running (unless
    `start` is false: then ShimError says it is not running, as `ipemu attach` does)."""
    where = socket_dir()
    path = os.path.join(where, NAME + ".sock")
    try:
        return connect(path)
    except (FileNotFoundError, ConnectionRefusedError) as err:
        if not start:
            raise ShimError("no host named %s" % NAME if isinstance(err, FileNotFoundError)
                            else "no host named %s is running (stale socket %s)"
                            % (NAME, path))
    except OSError as err:
        raise ShimError("%s: %s" % (path, err.strerror))
    start_host(where)
    # it serves now, or another shim's start of it is under way
    deadline = _monotonic() + START_SECONDS
    while True:
        try:
            return connect(path)
        except OSError as err:
            if _monotonic() > deadline:
                raise ShimError("%s: %s" % (path, err.strerror))
        _sleep(0.01)


def _monotonic():
    import time
    return time.monotonic()


def _sleep(seconds):
    import time
    time.sleep(seconds)


# ------------------------------------------------------------------ the call
def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]


def wants_stdin(argv):
    """The tools read standard input only for a file named `-` (`ip -batch -`); a
    shim reads it only then, so a background job never waits on the script's."""
    return "-" in argv[1:] and not os.isatty(0)


def read_stdin():
    data = b""
    while True:
        chunk = os.read(0, 65536)
        if not chunk:
            return data.decode("utf-8", "surrogateescape")
        data += chunk


def shim_dir():
    return os.path.dirname(os.path.abspath(__file__))


def exec_args(argv, netns):
    """The real program `ip netns exec` names, with the shims first on PATH and the
    namespace remembered; a tool this directory shims runs as the shim even when
    named by a path (/sbin/ip), so it never reaches the real network."""
    here = shim_dir()
    env = dict(os.environ)
    env["IPEMU_NETNS"] = netns
    path = env.get("PATH", "")
    if path.split(":")[0] != here:
        env["PATH"] = here + (":" + path if path else "")
    program = argv[0]
    if "/" in program and os.path.basename(program) in TOOLS:
        program = os.path.join(here, os.path.basename(program))
    return program, env


def exec_program(argv, netns):
    """Become the program (lib/exec.c cmd_exec(): execvp, or its error and 1)."""
    program, env = exec_args(argv, netns)
    try:
        os.execvpe(program, argv, env)
    except OSError as err:
        write_all(2, ('exec of "%s" failed: %s\n' % (argv[0], err.strerror)).encode())
    os._exit(1)


def run_program(argv, netns):
    """`ip -all netns exec`: the program in a child, to its end."""
    pid = os.fork()
    if pid == 0:
        exec_program(argv, netns)
    while True:
        try:
            os.waitpid(pid, 0)
            return
        except ChildProcessError:
            return


class Call:
    def __init__(self, sock, execs=True):
        self.sock = sock
        self.execs = execs          # a real program may be exec'd at the host's word
        self.pending = None         # (argv, netns) of an `exec` not yet run
        self.signals = set()        # what was relayed to the tool

    def send(self, message):
        self.sock.sendall((encode(message) + "\n").encode("ascii"))

    def relay(self, signum, frame):
        self.signals.add(signum)
        try:
            self.send({"signal": SIGNALS[signum]})
        except OSError:
            pass

    def stop(self, signum, frame):
        """Ctrl-Z: the host's program stops with the shim (its timers wait), then
        the shim stops itself as the terminal asked."""
        try:
            self.send({"signal": "STOP"})
        except OSError:
            pass
        _signal.signal(_signal.SIGTSTP, _signal.SIG_DFL)
        os.kill(os.getpid(), _signal.SIGTSTP)

    def cont(self, signum, frame):
        """`fg`/`bg`: it goes on where it stopped."""
        _signal.signal(_signal.SIGTSTP, self.stop)
        try:
            self.send({"signal": "CONT"})
        except OSError:
            pass

    def run_pending(self):
        if self.pending is not None:
            pending, self.pending = self.pending, None
            run_program(*pending)

    def messages(self):
        buffer = b""
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                if line:
                    yield decode(line.decode("utf-8"))

    def wait(self):
        """Relay the host's messages until the call ends; the exit status."""
        for message in self.messages():
            if "out" in message:
                self.run_pending()
                text = message["out"].encode("utf-8", "surrogateescape")
                write_all(2 if message.get("fd") == 2 else 1, text)
            elif "exec" in message:
                if not self.execs:
                    raise ShimError("the host asked to run a real program")
                self.run_pending()
                self.pending = (message["exec"], message.get("netns") or "")
            elif "execve" in message and self.pending is not None:
                self.sock.close()
                exec_program(*self.pending)
            elif "exit" in message:
                self.run_pending()
                return int(message["exit"])
        raise ShimError("the host ended during the call")


def end(status, signals):
    """Exit as the tool did: a tool the relayed signal killed kills the shim with it
    (so bash reports `Terminated` and 143), any other status is exit()'s."""
    signum = status - 128
    if signum in signals:
        _signal.signal(signum, _signal.SIG_DFL)
        os.kill(os.getpid(), signum)
    os._exit(status & 0xFF)


def c_dispositions():
    """A C program's dispositions: SIGPIPE ends it quietly (`ip -j ... | head`), and
    what the shim execs inherits them as a shell gives them; Ctrl-C ends it at once
    (no KeyboardInterrupt) until a call relays it."""
    _signal.signal(_signal.SIGPIPE, _signal.SIG_DFL)
    _signal.signal(_signal.SIGXFSZ, _signal.SIG_DFL)
    if _signal.getsignal(_signal.SIGINT) != _signal.SIG_IGN:
        _signal.signal(_signal.SIGINT, _signal.SIG_DFL)


def main():
    c_dispositions()
    tool = os.path.basename(sys.argv[0])
    argv = [tool] + sys.argv[1:]
    try:
        sock = open_host()
    except (ShimError, OSError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else err
        write_all(2, ("ipemu shim: %s: cannot reach or start the ipemu host %s: %s "
                      "(the real %s is never run)\n" % (tool, NAME, reason, tool)).encode())
        os._exit(FAILED)
    end(*relay_call(sock, {"run": argv,
                           "stdin": read_stdin() if wants_stdin(argv) else None},
                    "ipemu shim: %s: " % tool, os.getcwd()))


def run_line(name, line, cwd, process=True):
    """`ipemu --name NAME -c LINE`: LINE run on the running host NAME (never started
    here) as `ipemu -c` runs a line, `cwd` the call's home as a shim's. `process`: this
    process is the call's (the C program's signals, relayed; it ends as the line
    did); else the status is returned (a caller in the same process: a test)."""
    global NAME
    NAME = name
    if process:
        c_dispositions()
    try:
        sock = open_host(start=False)
    except (ShimError, OSError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else err
        write_all(2, ("ipemu: %s\n" % reason).encode())
        status, signals = FAILED, set()
    else:
        # "line": the host's shell runs it, every program in it ipemu's (none is
        # handed back here to exec)
        status, signals = relay_call(sock, {"run": ["bash", "-c", line], "line": line,
                                            "stdin": None},
                                     "ipemu: ", cwd, execs=False, relay=process)
    if process:
        end(status, signals)
    return status


def relay_call(sock, request, who, cwd, execs=True, relay=True):
    """Send the call and relay its output (and, with `relay`, the signals this
    process gets); the host program's exit status and the signals relayed to it.
    `execs`: whether the host may ask for a real program (`ip netns exec`)."""
    call = Call(sock, execs)
    try:
        request.update(cwd=cwd, netns=os.environ.get("IPEMU_NETNS"))
        call.send(request)
        for signum in SIGNALS if relay else ():
            # a signal the script's shell ignores for us (a background job's SIGINT)
            # stays ignored, as a C program that checks finds it
            if _signal.getsignal(signum) != _signal.SIG_IGN:
                _signal.signal(signum, call.relay)
        if relay and _signal.getsignal(_signal.SIGTSTP) != _signal.SIG_IGN:
            _signal.signal(_signal.SIGTSTP, call.stop)
            _signal.signal(_signal.SIGCONT, call.cont)
        return call.wait(), call.signals
    except (ShimError, OSError) as err:
        write_all(2, ("%s%s\n" % (who, err)).encode())
    except Exception as err:     # never a traceback: an answer this shim cannot read
        write_all(2, ("%sa bad answer from the host %s (%s: %s)\n"
                      % (who, NAME, type(err).__name__, err)).encode())
    finally:
        sock.close()
    return FAILED, set()

if __name__ == "__main__":
    main()
