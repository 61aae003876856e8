"""Small fidelity fixes of session 14, each against what the real machine printed
(Debian 12: procps-ng 4.0.2, bash 5.2; recorded with `unshare -n -p -f --mount-proc`)."""
from __future__ import annotations

from ipemu.session import Session


def test_ps_shows_a_command_lines_control_characters_as_procps_does():
    # unshare -n -p -f --mount-proc bash -c $'x=1\t;\nps -o args; pgrep -a bash' printed
    # exactly these lines: the tab as `?`, the newline as a blank
    s = Session.create("default", "bare", "oracle", 0)
    s.bash_c = True                 # the line as `bash -c LINE` runs it
    term, status = s.run_line("x=1\t;\nps -o args; pgrep -a bash")
    assert (term.text(), status) == ("COMMAND\nbash -c x=1?; ps -o args; pgrep -a bash\n"
                                     "ps -o args\n", 1)
