"""GNU diff's choice of changed lines (diffutils 3.8): the identical ends set aside
(io.c find_identical_ends()), lines with no match in the other file discarded
(analyze.c discard_confusing_lines()), Myers' middle-snake search on the rest
(gnulib diffseq.h diag() and compareseq()), and changed runs slid to join their
neighbours (shift_boundaries()). Where several edit scripts are equally short this
picks the one GNU diff prints, which difflib's matcher does not."""
from __future__ import annotations

import difflib


def _diag(xv, yv, xoff, xlim, yoff, ylim) -> tuple[int, int]:
    """diag(): the midpoint of a shortest edit script (find_minimal; the inputs
    here are far below diff's too_expensive bound of 4096)."""
    fd: dict[int, int] = {}
    bd: dict[int, int] = {}
    dmin, dmax = xoff - ylim, xlim - yoff
    fmid, bmid = xoff - yoff, xlim - ylim
    fmin = fmax = fmid
    bmin = bmax = bmid
    odd = (fmid - bmid) & 1
    fd[fmid] = xoff
    bd[bmid] = xlim
    big = 1 << 62
    while True:
        if fmin > dmin:
            fmin -= 1
            fd[fmin - 1] = -1
        else:
            fmin += 1
        if fmax < dmax:
            fmax += 1
            fd[fmax + 1] = -1
        else:
            fmax -= 1
        for d in range(fmax, fmin - 1, -2):
            tlo, thi = fd.get(d - 1, -1), fd.get(d + 1, -1)
            x = thi if tlo < thi else tlo + 1
            y = x - d
            while x < xlim and y < ylim and xv[x] == yv[y]:
                x += 1
                y += 1
            fd[d] = x
            if odd and bmin <= d <= bmax and bd.get(d, big) <= x:
                return x, y
        if bmin > dmin:
            bmin -= 1
            bd[bmin - 1] = big
        else:
            bmin += 1
        if bmax < dmax:
            bmax += 1
            bd[bmax + 1] = big
        else:
            bmax -= 1
        for d in range(bmax, bmin - 1, -2):
            tlo, thi = bd.get(d - 1, big), bd.get(d + 1, big)
            x = tlo if tlo < thi else thi - 1
            y = x - d
            while xoff < x and yoff < y and xv[x - 1] == yv[y - 1]:
                x -= 1
                y -= 1
            bd[d] = x
            if not odd and fmin <= d <= fmax and x <= fd.get(d, -1):
                return x, y


def _compareseq(xv, yv, xoff, xlim, yoff, ylim, xdel: list, yins: list) -> None:
    """compareseq(): NOTE_DELETE/NOTE_INSERT into xdel/yins (virtual indexes)."""
    stack = [(xoff, xlim, yoff, ylim)]
    while stack:
        xoff, xlim, yoff, ylim = stack.pop()
        while xoff < xlim and yoff < ylim and xv[xoff] == yv[yoff]:
            xoff += 1
            yoff += 1
        while xoff < xlim and yoff < ylim and xv[xlim - 1] == yv[ylim - 1]:
            xlim -= 1
            ylim -= 1
        if xoff == xlim:
            yins.extend(range(yoff, ylim))
        elif yoff == ylim:
            xdel.extend(range(xoff, xlim))
        else:
            xmid, ymid = _diag(xv, yv, xoff, xlim, yoff, ylim)
            # the low half first, as the recursion does (order does not matter here)
            stack.append((xmid, xlim, ymid, ylim))
            stack.append((xoff, xmid, yoff, ymid))


def _shift_boundaries(changed: list[list[bool]], equivs: list[list[int]]) -> None:
    """shift_boundaries(): each list has a False sentinel at its end."""
    for f in (0, 1):
        ch, other, eq = changed[f], changed[1 - f], equivs[f]
        i = j = 0
        i_end = len(eq)
        while True:
            while i < i_end and not ch[i]:
                while other[j]:
                    j += 1
                j += 1
                i += 1
            if i == i_end:
                break
            start = i
            i += 1
            while ch[i]:
                i += 1
            while other[j]:
                j += 1
            while True:
                runlength = i - start
                while start and eq[start - 1] == eq[i - 1]:
                    start -= 1
                    ch[start] = True
                    i -= 1
                    ch[i] = False
                    while start and ch[start - 1]:
                        start -= 1
                    j -= 1
                    while other[j]:
                        j -= 1
                corresponding = i if j and other[j - 1] else i_end
                while i != i_end and eq[start] == eq[i]:
                    ch[start] = False
                    start += 1
                    ch[i] = True
                    i += 1
                    while ch[i]:
                        i += 1
                    j += 1
                    while other[j]:
                        j += 1
                        corresponding = i
                if runlength == i - start:
                    break
            while corresponding < i:
                start -= 1
                ch[start] = True
                i -= 1
                ch[i] = False
                j -= 1
                while other[j]:
                    j -= 1


def changed_lines(old: list[str], new: list[str],
                  horizon: int = 0) -> tuple[list[bool], list[bool]]:
    """Which lines of each side are changes (deleted from old, inserted in new).
    `horizon`: identical lines kept at each end (diff.c: the context of -u/-c, so
    that shift_boundaries() may move the first and last hunks into them)."""
    n0, n1 = len(old), len(new)
    prefix = 0
    while prefix < n0 and prefix < n1 and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < n0 - prefix and suffix < n1 - prefix and \
            old[n0 - 1 - suffix] == new[n1 - 1 - suffix]:
        suffix += 1
    prefix -= min(prefix, horizon)
    suffix -= min(suffix, horizon)
    mid = [old[prefix:n0 - suffix], new[prefix:n1 - suffix]]
    classes: dict[str, int] = {}
    equivs = [[classes.setdefault(line, len(classes) + 1) for line in side] for side in mid]
    counts = [{}, {}]
    for f in (0, 1):
        for e in equivs[f]:
            counts[f][e] = counts[f].get(e, 0) + 1
    changed = [[False] * (len(mid[0]) + 1), [False] * (len(mid[1]) + 1)]
    undiscarded: list[list[int]] = [[], []]
    real: list[list[int]] = [[], []]
    for f in (0, 1):
        end = len(equivs[f])
        many = 5 if end < 64 else 5 << ((end.bit_length() - 1) >> 1) - 3
        marks = []
        for e in equivs[f]:
            n = counts[1 - f].get(e, 0)
            marks.append(1 if n == 0 else 2 if n > many else 0)
        _cancel_provisionals(marks)
        for i, e in enumerate(equivs[f]):
            if marks[i] == 0:
                undiscarded[f].append(e)
                real[f].append(i)
            else:
                changed[f][i] = True
    xdel: list[int] = []
    yins: list[int] = []
    _compareseq(undiscarded[0], undiscarded[1], 0, len(undiscarded[0]), 0,
                len(undiscarded[1]), xdel, yins)
    for x in xdel:
        changed[0][real[0][x]] = True
    for y in yins:
        changed[1][real[1][y]] = True
    _shift_boundaries(changed, equivs)
    return ([False] * prefix + changed[0][:-1] + [False] * suffix,
            [False] * prefix + changed[1][:-1] + [False] * suffix)


def _cancel_provisionals(discards: list[int]) -> None:
    """discard_confusing_lines()'s second pass: provisional discards (2) stand only
    inside a run of discardable lines with real discards at both ends."""
    end = len(discards)
    i = 0
    while i < end:
        if discards[i] == 2:
            discards[i] = 0
        elif discards[i] != 0:
            provisional = 0
            j = i
            while j < end and discards[j] != 0:
                if discards[j] == 2:
                    provisional += 1
                j += 1
            while j > i and discards[j - 1] == 2:
                j -= 1
                discards[j] = 0
                provisional -= 1
            length = j - i
            if length >> 2 < provisional:
                while j > i:
                    j -= 1
                    if discards[j] == 2:
                        discards[j] = 0
            else:
                minimum = 2 if length < 4 else (1 << (((length.bit_length() - 1) >> 1) - 1)) + 1
                consec = 0
                j = 0
                while j < length:
                    if discards[i + j] != 2:
                        consec = 0
                    else:
                        consec += 1
                        if minimum == consec:
                            j -= consec
                        elif minimum < consec:
                            discards[i + j] = 0
                    j += 1
                consec = 0
                for j in range(length):
                    if j >= 8 and discards[i + j] == 1:
                        break
                    if discards[i + j] == 2:
                        consec = 0
                        discards[i + j] = 0
                    elif discards[i + j] == 0:
                        consec = 0
                    else:
                        consec += 1
                    if consec == 3:
                        break
                i += length - 1
                consec = 0
                for j in range(length):
                    if j >= 8 and discards[i - j] == 1:
                        break
                    if discards[i - j] == 2:
                        consec = 0
                        discards[i - j] = 0
                    elif discards[i - j] == 0:
                        consec = 0
                    else:
                        consec += 1
                    if consec == 3:
                        break
        i += 1


class GnuMatcher(difflib.SequenceMatcher):
    """difflib's interface (get_opcodes, get_grouped_opcodes) over GNU diff's
    changed lines (build_script(): each run of changes is one hunk)."""

    def __init__(self, old: list[str], new: list[str], horizon: int = 0):
        super().__init__(None, old, new, autojunk=False)
        self._gnu = None
        self.horizon = horizon

    def get_opcodes(self):
        if self._gnu is not None:
            return self._gnu
        c0, c1 = changed_lines(self.a, self.b, self.horizon)
        c0.append(False)
        c1.append(False)
        ops = []
        i0 = i1 = 0
        n0, n1 = len(self.a), len(self.b)
        eq0 = eq1 = 0
        while i0 < n0 or i1 < n1:
            if c0[i0] or c1[i1]:
                if eq0 < i0:
                    ops.append(("equal", eq0, i0, eq1, i1))
                s0, s1 = i0, i1
                while c0[i0]:
                    i0 += 1
                while c1[i1]:
                    i1 += 1
                tag = "replace" if i0 > s0 and i1 > s1 else "delete" if i0 > s0 else "insert"
                ops.append((tag, s0, i0, s1, i1))
                eq0, eq1 = i0, i1
            else:
                i0 += 1
                i1 += 1
        if eq0 < n0 or eq1 < n1:
            ops.append(("equal", eq0, n0, eq1, n1))
        self._gnu = ops
        return ops
