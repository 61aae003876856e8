"""A lab in progress on a machine: its host booted from the lab's scenario, the wire
watched, the goals checked on demand (`lab check`, the prompt's toolbar), hints
computed from which goals are still unmet, and `lab reset` booting the host afresh.

The run hangs on the machine (`machine.lab`), so every terminal on it (`ipemu
attach`) shares the lab.
"""
from __future__ import annotations

import re
import textwrap

from ipemu.errors import CommandError
from ipemu.kernel.clock import VirtualClock
from ipemu.kernel.host import Host
from ipemu.labs import Lab, LabError, load
from ipemu.labs.goals import Goal, met
from ipemu.labs.wire import WireWatch
from ipemu.plainclass import dataclass, field
from ipemu.process import SIGKILL

WIDTH = 78               # hints are wrapped to this many columns


def boot(lab: Lab, profile: str = "default", clock: VirtualClock | None = None):
    """A shell on a new machine, booted from the lab's scenario and setup lines;
    `clock` (a reset) keeps the machine's time running on."""
    from ipemu.profiles import load as load_profile
    from ipemu.scenarios import boot as boot_scenario
    from ipemu.session import Session
    try:
        prof = load_profile(profile)
    except KeyError:
        raise LabError(f"unknown profile {profile}") from None
    host = Host(seed=lab.seed, kernel=prof["kernel"], clock=clock or VirtualClock())
    session = Session(host, prof)
    boot_scenario(session, lab.scenario)
    if lab.hostname:
        host.hostname = lab.hostname
    for line in lab.setup:
        term, status = session.run_line(line)
        if status != 0:
            raise LabError(f"lab '{lab.name}': setup line `{line}` failed: "
                           f"{term.text().strip()}")
    session.last_status = 0
    return session


@dataclass
class LabRun:
    lab: Lab
    profile: str
    watch: WireWatch
    hints_given: dict[int, int] = field(default_factory=dict)

    @classmethod
    def start(cls, name: str, seed: int = 0, profile: str = "default"):
        """The first shell of a new machine that runs the lab."""
        lab = load(name, seed)
        session = boot(lab, profile)
        run = cls(lab, profile, WireWatch(session.host))
        run.watch.start()     # the setup's own traffic is not the learner's
        session.machine.lab = run
        return session

    # ----------------------------------------------------------------- goals
    def results(self, host) -> list[tuple[Goal, bool]]:
        self.watch.start()      # re-armed after a restore (the tap table is plain then)
        return [(goal, met(goal, host, self.watch)) for goal in self.lab.goals]

    def passed(self, host) -> bool:
        return all(ok for _, ok in self.results(host))

    def task(self, host) -> str:
        """`lab`: the title, the task, the goals with what is done so far."""
        head = f"Lab {self.lab.name}: {self.lab.title}"
        lines = [head, "=" * len(head), "", self.lab.text, "", "Goals:"]
        lines += [_goal_line(goal, ok) for goal, ok in self.results(host)]
        lines += ["", "`lab check` checks the goals, `lab hint` helps with the next one, "
                  "`lab reset` starts over."]
        return "\n".join(lines) + "\n"

    def check(self, host) -> tuple[str, int]:
        """`lab check`: each goal with its mark, and a last line; status 0 when all
        are met."""
        results = self.results(host)
        done = sum(ok for _, ok in results)
        lines = [_goal_line(goal, ok) for goal, ok in results]
        if done == len(results):
            lines.append(f"All {done} goals met: lab {self.lab.name} is complete.")
        else:
            lines.append(f"{done} of {len(results)} goals met. `lab hint` helps with "
                         "the next one.")
        return "\n".join(lines) + "\n", 0 if done == len(results) else 1

    def hint(self, host) -> str:
        """`lab hint`: the next hint of the first goal not met yet (each call one
        hint further, the last one repeated)."""
        for index, (goal, ok) in enumerate(self.results(host)):
            if ok:
                continue
            if not goal.hints:
                return f"Next goal: {goal.text}\n(no hint for this one: `lab` shows the task)\n"
            given = self.hints_given.get(index, 0)
            self.hints_given[index] = given + 1
            text = goal.hints[min(given, len(goal.hints) - 1)]
            more = " (`lab hint` again for more)" if given + 1 < len(goal.hints) else ""
            return f"Next goal: {goal.text}\n" + _wrap(f"Hint{more}: {text}") + "\n"
        return "Every goal is met: nothing left to hint. `lab check` to see them.\n"

    def toolbar(self, host) -> str:
        """The prompt's bottom line: the lab and its progress."""
        results = self.results(host)
        done = sum(ok for _, ok in results)
        if done == len(results):
            return f" lab {self.lab.name}: all {done} goals met, complete "
        return f" lab {self.lab.name}: {done}/{len(results)} goals met " \
            "| lab check | lab hint | lab reset "

    # ----------------------------------------------------------------- reset
    def reset(self, machine) -> None:
        """`lab reset`: every program ends, the host boots afresh from the lab (on the
        same clock, so time keeps running), every shell of the machine moves to it,
        the wire's history and the hints given are forgotten."""
        for proc in list(machine.processes.values()):
            proc.signal(SIGKILL)
        clock = machine.host.clock
        for timer in clock.queue:
            timer.cancelled = True
        fresh = boot(self.lab, self.profile, clock)
        fresh.machine.shells.remove(fresh)
        machine.host = fresh.host
        for shell in machine.shells:
            shell.host = fresh.host
        self.watch = WireWatch(fresh.host)
        self.watch.start()
        self.hints_given.clear()


def _wrap(text: str) -> str:
    """Fill to WIDTH columns, never breaking a `command` across lines (so it can be
    copied whole)."""
    kept = re.sub(r"`[^`]*`", lambda m: m.group(0).replace(" ", "\xa0"), text)
    return textwrap.fill(kept, WIDTH, break_on_hyphens=False,
                         break_long_words=False).replace("\xa0", " ")


def _goal_line(goal: Goal, ok: bool) -> str:
    return f"[{'x' if ok else ' '}] {goal.text}"


# ----------------------------------------------------------------- verify
@dataclass
class Verdict:
    name: str
    title: str
    ok: bool
    reason: str = ""


def verify(name: str, seed: int = 0, profile: str = "default") -> Verdict:
    """Play the lab's reference solution on a fresh host: its goals must be unmet
    before (a lab cannot pass by itself) and all met after."""
    try:
        session = LabRun.start(name, seed, profile)
    except CommandError as err:
        return Verdict(name, "", False, err.message.strip())
    run = session.machine.lab
    lab = run.lab
    if run.passed(session.host):
        return Verdict(name, lab.title, False, "its goals are met before the solution")
    if not lab.solution:
        return Verdict(name, lab.title, False, "it has no solution")
    for line in lab.solution:
        session.run_line(line)
    unmet = [goal.text for goal, ok in run.results(session.host) if not ok]
    if unmet:
        return Verdict(name, lab.title, False, "not met after the solution: " + "; ".join(unmet))
    return Verdict(name, lab.title, True)
