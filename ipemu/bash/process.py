"""A shell as a process: `bash -c ...` under `ip netns exec` or `timeout`, and a
background job that is more than one command (`(sleep 1; ping -c1 x) &`). Its steps
run as far as they can; when they wait for a process, that process's exit resumes
them (an event on the host's clock, like any program's)."""
from __future__ import annotations

from ipemu.process import Process



# how many shell processes are in their steps right now (ShellProcess._resume()): a
# tool run from there (a background list's `wait` at the prompt) must not run the
# clock itself, which would step the process it is in again (tools/jobs.py)
STEPPING = 0

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
        # the shell it runs (a child bash), for traps: set by the one who spawned it
        self.interp = None
        self.ctx = None
        self.trapped = 0           # a trapped signal that came while a command ran

    def start(self) -> "ShellProcess":
        self._resume(None)
        return self

    def _resume(self, proc) -> None:
        global STEPPING
        if self.steps is None:
            return
        signum = self.interrupted
        if proc is not None and self.trapped:
            # trap.c: the trapped signal's action runs once the command the shell
            # waited for has ended (run_pending_traps()), and the shell goes on; the
            # interp picks it up after that command (session.shell_signal)
            self.pend(self.trapped)
            self.trapped, signum = 0, 0
        if proc is not None and signum and proc.status == 128 + signum:
            # bash waits for a child killed by SIGINT, then dies of it itself (its
            # EXIT trap first)
            self.current = None
            self._die(signum)
            return
        self.interrupted = 0
        while not self.done:
            STEPPING += 1
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
            finally:
                STEPPING -= 1
            self.current = waiting.proc
            if self.execs and getattr(waiting.proc, "netns", None) is not None:
                # the one command was exec'd in this process's place: the namespace
                # it runs in (`unshare -n sleep 30 &`, `ip netns exec NS sleep &`) is
                # this PID's (/proc/$!/ns/net, `nsenter -t $!`, `ip link set X netns $!`)
                self.netns = waiting.proc.netns
            if self.execs and getattr(waiting.proc, "uts", None) is not None:
                self.uts = waiting.proc.uts     # and its UTS namespace (nsenter -t $! -u)
            if self.execs:
                waiting.proc.exec_of = self.pid     # one process, this PID (execve())
            if not waiting.proc.done:
                waiting.proc.on_exit.append(self._resume)
                return

    def _trap_of(self, signum: int) -> str | None:
        """The action the shell has set for the signal (None: none, or not a shell
        this process knows: it dies of it)."""
        interp = self.interp
        if interp is None or interp.state.dash:
            return None
        from ipemu.bash.traps import SIGNALS
        if not 1 <= signum <= len(SIGNALS):
            return None
        name = "SIG" + SIGNALS[signum - 1]
        action = interp.state.traps.get(name)
        inherited = getattr(interp, "inherited_traps", None)
        if inherited is not None and action and action is inherited.get(name):
            # a background list's copy of its parent's trap: not its handler
            # (reset_signal_handlers() in the forked child)
            return None
        return action

    def pend(self, signum: int) -> None:
        """A trapped signal for the shell to act on after the command it waits for
        (run_pending_traps()): a background list's is its own (Interp.take_signal())."""
        if getattr(self.interp, "background", False):
            self.interp.bg_signal = signum
        else:
            self.interp.session.shell_signal = signum

    def signal(self, signum: int) -> None:
        """The terminal's signal reaches the foreground process group: the command
        the shell waits for gets it (bash itself waits for it to end). A signal the
        shell traps (`timeout 5 bash -c 'trap ... TERM; ...'`: timeout signals the
        whole group) ends the command, then the trap runs and the shell goes on; one
        it does not trap kills it, its EXIT trap first (termsig_handler())."""
        action = self._trap_of(signum)
        if action is None and signum in self.ignored:
            self._to_execd(signum)
            return                          # an asynchronous list's SIGINT (Process.ignored)
        if action is not None:
            if action == "":
                return                      # trap '' SIG: ignored
            if self.current is not None and not self.current.done:
                self.trapped = signum
                self.current.signal(signum)
                return
            if not self.done:
                # nothing to wait for: the trap runs at the shell's next command
                self.pend(signum)
                return
        if self.current is not None and not self.current.done:
            self.interrupted = signum
            self.current.signal(signum)
            return
        self._die(signum)

    def _to_execd(self, signum: int) -> None:
        """The one command exec'd in this process's place (`nohup tcpdump ... &`)
        inherited the ignored dispositions; a program that sets its own handler
        (tcpdump's cleanup() for SIGINT) still gets the signal: it decides."""
        current = self.current
        if self.execs and current is not None and not current.done and \
                signum in current.handlers:
            current.ignored = current.ignored | self.ignored
            current.signal(signum)

    def signal_pid(self, signum: int) -> None:
        """kill(PID) of this shell alone (a script's `kill $!`: no job control, no
        process group): a trapped signal waits for the command the shell waits for to
        end, then its trap runs; an untrapped one kills the shell at once (its EXIT
        trap first), the command it waited for running on."""
        action = self._trap_of(signum)
        if action == "" or action is None and signum in self.ignored:
            # a list run with `&` without job control ignores SIGINT and SIGQUIT
            # (setup_async_signals(): session._AsyncSignals) unless it traps them
            if action is None:
                self._to_execd(signum)
            return
        if action is not None:
            if self.current is not None and not self.current.done and \
                    getattr(self.interp, "in_wait", False):
                # the wait builtin returns at once (128+N), its trap runs; the job it
                # waited for runs on (wait_builtin()'s interrupt_immediately)
                self.current.on_exit.remove(self._resume)
                self.current = None
                self.pend(signum)
                self._resume(None)
            elif self.current is not None and not self.current.done:
                self.trapped = signum
            elif not self.done:
                self.pend(signum)
            return
        if self.interp is None or self.interp.state.dash:
            self.signal(signum)
            return
        self.current = None
        self._die(signum)

    def _die(self, signum: int) -> None:
        if self.steps is not None:
            self.steps.close()
            self.steps = None
        inherited = getattr(self.interp, "inherited_traps", None) or {}
        if self.interp is not None and not self.interp.state.dash and \
                self.interp.state.traps.get("EXIT") and signum != 9 and \
                self.interp.state.traps.get("EXIT") is not inherited.get("EXIT"):
            # termsig_handler(): run_exit_trap() before the shell kills itself
            self._run_exit_trap(signum)
        if not self.done:
            self.termsig = signum
        self.exit(128 + signum)

    def _run_exit_trap(self, signum: int) -> None:
        """The EXIT trap's action, as far as it runs without waiting (an `echo`, an
        `ip` command): the shell is dying."""
        interp = self.interp
        action = interp.state.traps.pop("EXIT", None)
        ctx = self.ctx if self.ctx is not None else getattr(interp, "cur_ctx", None)
        if not action or ctx is None:
            return
        # $? there is the last command's that completed (termsig_handler() runs it
        # with last_command_exit_value; the one the signal cut short never finished)
        steps = interp._exit_trap(action, interp.last_status, ctx)
        try:
            for _ in range(1000):
                waiting = steps.send(None)
                if waiting is not None and not waiting.proc.done:
                    break
        except StopIteration:
            pass
        except Exception:  # noqa: BLE001 - whatever the dying trap raised
            pass
        finally:
            steps.close()

    def cleanup(self) -> None:
        if self.current is not None and not self.current.done:
            self.current.signal(15)

    def blocked(self) -> bool:
        return self.current.blocked() if self.current is not None else False
