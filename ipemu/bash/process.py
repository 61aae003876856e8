"""A shell as a process: `bash -c ...` under `ip netns exec` or `timeout`, and a
background job that is more than one command (`(sleep 1; ping -c1 x) &`). Its steps
run as far as they can; when they wait for a process, that process's exit resumes
them (an event on the host's clock, like any program's)."""
from __future__ import annotations

from ipemu.process import Process


class ShellProcess(Process):
    wait_limit = None       # it ends when its commands end (they have their limits)

    # a running shell's place in its text is a Python generator, not data: a saved
    # host keeps the process, and on restore it has ended (as after a SIGHUP)
    __transient__ = ("steps",)

    def __restore__(self) -> None:
        self.steps = None
        if not self.done:
            self.done, self.status = True, 128 + 1

    def __init__(self, host, term, steps):
        super().__init__(host, term)
        self.steps = steps
        self.current: Process | None = None
        self.interrupted = 0       # the signal the terminal sent to the process group
        # the shell execs its one simple command (a forked shell's last command:
        # execute_command_internal()'s CMD_NO_FORK): a signal that kills the command
        # kills this process (WIFSIGNALED for the parent's notice)
        self.execs = False

    def start(self) -> "ShellProcess":
        self._resume(None)
        return self

    def _resume(self, proc) -> None:
        if self.steps is None:
            return
        signum = self.interrupted
        if proc is not None and signum and proc.status == 128 + signum:
            # bash waits for a child killed by SIGINT, then dies of it itself
            self.steps.close()
            self.current = None
            self.termsig = signum
            self.exit(128 + signum)
            return
        self.interrupted = 0
        while not self.done:
            try:
                waiting = self.steps.send(None)
            except StopIteration as stop:
                last, self.current = self.current, None
                status = stop.value or 0
                if self.execs and last is not None and last.termsig and \
                        status == 128 + last.termsig:
                    self.termsig = last.termsig
                self.exit(status)
                return
            except Exception as err:  # noqa: BLE001 - ExitSignal and friends end it
                status = getattr(err, "status", 1)
                self.current = None
                self.exit(status if isinstance(status, int) else 1)
                return
            self.current = waiting.proc
            if self.execs and getattr(waiting.proc, "netns", None) is not None:
                # the one command was exec'd in this process's place: the namespace
                # it runs in (`unshare -n sleep 30 &`, `ip netns exec NS sleep &`) is
                # this PID's (/proc/$!/ns/net, `nsenter -t $!`, `ip link set X netns $!`)
                self.netns = waiting.proc.netns
            if self.execs:
                waiting.proc.exec_of = self.pid     # one process, this PID (execve())
            if not waiting.proc.done:
                waiting.proc.on_exit.append(self._resume)
                return

    def signal(self, signum: int) -> None:
        """The terminal's signal reaches the foreground process group: the command
        the shell waits for gets it (bash itself waits for it to end)."""
        if self.current is not None and not self.current.done:
            self.interrupted = signum
            self.current.signal(signum)
            return
        if self.steps is not None:
            self.steps.close()
        if not self.done:
            self.termsig = signum
        self.exit(128 + signum)

    def cleanup(self) -> None:
        if self.current is not None and not self.current.done:
            self.current.signal(15)

    def blocked(self) -> bool:
        return self.current.blocked() if self.current is not None else False
