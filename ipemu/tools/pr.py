"""coreutils 9.1's pr: pages with a header and trailer, columns down (-COLUMN) or
across (-a), files side by side (-m), numbered lines, margins, double spacing, as
scripts lay a list of interfaces or addresses out in columns (`ip -br a | pr -t -2`,
`pr -m -t a b`).

A port of src/pr.c as written (its globals are this object's fields): main()'s
options and the old -s/-w translations, init_parameters(), init_fps(),
init_funcs(), print_page(), read_line(), store_columns(), balance(),
print_stored(), add_line_number(), print_white_space() (output tabified),
print_sep_string(), char_to_clump(), print_header(). The header's date is the
file's time, which ipemu's files do not keep: the host's clock stands for it."""
from __future__ import annotations

import re
import time

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext

EOF = -1
ANYWHERE = 0
OPEN, FF_FOUND, ON_HOLD, CLOSED = range(4)
LINES_PER_HEADER = LINES_PER_FOOTER = 5
INT_MAX = (1 << 31) - 1


def _tab_width(c: int, h: int) -> int:
    return c - h % c


class Reader:
    """A FILE's getc()/ungetc() over the bytes of one input."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def getc(self) -> int:
        if self.pos >= len(self.data):
            self.pos = len(self.data) + 1
            return EOF
        self.pos += 1
        return self.data[self.pos - 1]

    def ungetc(self, c: int) -> None:
        if c != EOF:
            self.pos -= 1


class Column:
    def __init__(self) -> None:
        self.fp: Reader | None = None
        self.name = ""
        self.status = OPEN
        self.store = False                 # char_func store_char / print_stored
        self.current_line = 0
        self.lines_stored = 0
        self.lines_to_print = 0
        self.start_position = 0
        self.numbered = False
        self.full_page_printed = False


class Pr:
    def __init__(self, ctx: ToolContext) -> None:
        self.ctx = ctx
        self.out = bytearray()
        self.parallel_files = False
        self.explicit_columns = False
        self.extremities = True
        self.keep_FF = False
        self.print_a_FF = False
        self.print_a_header = False
        self.use_form_feed = False
        self.print_across_flag = False
        self.storing_columns = True
        self.balance_columns = False
        self.lines_per_page = 66
        self.lines_per_body = 0
        self.chars_per_line = 72
        self.truncate_lines = False
        self.join_lines = False
        self.chars_per_column = 0
        self.untabify_input = False
        self.input_tab_char = ord("\t")
        self.chars_per_input_tab = 8
        self.tabify_output = False
        self.output_tab_char = ord("\t")
        self.chars_per_output_tab = 8
        self.spaces_not_printed = 0
        self.chars_per_margin = 0
        self.output_position = 0
        self.input_position = 0
        self.failed_opens = False
        self.columns = 1
        self.first_page_number = 0
        self.last_page_number = 1 << 64
        self.files_ready_to_read = 0
        self.page_number = 0
        self.line_number = 0
        self.numbered_lines = False
        self.number_separator = ord("\t")
        self.line_count = 1
        self.skip_count = True
        self.start_line_num = 1
        self.chars_per_number = 5
        self.number_width = 0
        self.use_esc_sequence = False
        self.use_cntrl_prefix = False
        self.double_space = False
        self.total_files = 0
        self.ignore_failed_opens = False
        self.use_col_separator = False
        self.col_sep_string = b""
        self.separators_not_printed = 0
        self.padding_not_printed = 0
        self.pad_vertically = False
        self.custom_header: str | None = None
        self.date_format: str | None = None
        self.date_text = b""
        self.file_text = b""
        self.header_width_available = 0
        self.clump: list[int] = []
        self.last_line = False
        self.align_empty_cols = False
        self.empty_line = False
        self.FF_only = False
        self.column_vector: list[Column] = []
        self.buff = bytearray()
        self.line_vector: list[int] = []
        self.end_vector: list[int] = []

    @property
    def col_sep_length(self) -> int:
        return len(self.col_sep_string)

    def putchar(self, c: int) -> None:
        self.out.append(c)

    # ------------------------------------------------------------ setup
    def init_parameters(self, number_of_files: int) -> None:
        chars_used_by_number = 0
        self.lines_per_body = self.lines_per_page - LINES_PER_HEADER - LINES_PER_FOOTER
        if self.lines_per_body <= 0:
            self.extremities = False
            self.keep_FF = True
        if not self.extremities:
            self.lines_per_body = self.lines_per_page
        if self.double_space:
            self.lines_per_body //= 2
        if number_of_files == 0:
            self.parallel_files = False
        if self.parallel_files:
            self.columns = number_of_files
        if self.storing_columns:
            self.balance_columns = True
        if self.columns > 1:
            if not self.use_col_separator:
                self.col_sep_string = b"\t" if self.join_lines else b" "
                self.use_col_separator = True
            elif not self.join_lines and self.col_sep_string == b"\t":
                self.col_sep_string = b" "
            self.truncate_lines = True
            if self.col_sep_string != b"\t":
                self.untabify_input = True
            self.tabify_output = True
        else:
            self.storing_columns = False
        if self.join_lines:
            self.truncate_lines = False
        if self.numbered_lines:
            self.line_count = self.start_line_num
            if self.number_separator == ord("\t"):
                self.number_width = self.chars_per_number + _tab_width(8, self.chars_per_number)
            else:
                self.number_width = self.chars_per_number + 1
            if self.parallel_files:
                chars_used_by_number = self.number_width
        sep_chars = (self.columns - 1) * self.col_sep_length
        useful = max(self.chars_per_line - chars_used_by_number - sep_chars, 0)
        self.chars_per_column = useful // self.columns
        if self.chars_per_column < 1:
            raise CommandError("pr: page width too narrow\n", 1)

    def open_file(self, name: str, p: Column) -> bool:
        from ipemu.tools.textio import read_input
        try:
            data = read_input(self.ctx, name).encode("utf-8", "surrogateescape")
        except OSError as err:
            self.failed_opens = True
            if not self.ignore_failed_opens:
                self.flush()
                self.ctx.term.err(f"pr: {name}: {err.strerror}\n")
            return False
        p.name = "standard input" if name == "-" else name
        p.fp = Reader(data)
        p.status = OPEN
        p.full_page_printed = False
        self.total_files += 1
        return True

    def init_fps(self, names: list[str]) -> bool:
        self.total_files = 0
        self.column_vector = [Column() for _ in range(self.columns)]
        if self.parallel_files:
            opened = []
            for name in names:
                p = Column()
                if self.open_file(name, p):
                    opened.append(p)
            self.column_vector = opened
            self.columns = len(opened)
            if not opened:
                return False
            self.init_header("", False)
        else:
            p = self.column_vector[0]
            if names:
                if not self.open_file(names[0], p):
                    return False
                self.init_header(names[0], names[0] != "-")
            else:
                self.open_file("-", p)
                self.init_header("", False)
            for q in self.column_vector[1:]:
                q.name, q.fp, q.status = p.name, p.fp, OPEN
                q.full_page_printed = False
                q.lines_stored = 0
            p.lines_stored = 0
        self.files_ready_to_read = self.total_files
        return True

    def init_funcs(self) -> None:
        h = self.chars_per_margin
        if not self.truncate_lines:
            h_next = ANYWHERE
        elif self.parallel_files and self.numbered_lines:
            h_next = h + self.chars_per_column + self.number_width
        else:
            h_next = h + self.chars_per_column
        h = h + self.col_sep_length
        i = 1
        for p in self.column_vector[:-1]:
            p.store = self.storing_columns
            p.numbered = self.numbered_lines and (not self.parallel_files or i == 1)
            p.start_position = h
            if not self.truncate_lines:
                h = h_next = ANYWHERE
            else:
                h = h_next + self.col_sep_length
                h_next = h + self.chars_per_column
            i += 1
        p = self.column_vector[-1]
        p.store = self.storing_columns and self.balance_columns
        p.numbered = self.numbered_lines and (not self.parallel_files or i == 1)
        p.start_position = h

    def init_header(self, filename: str, is_file: bool) -> None:
        fmt = self.date_format or "%Y-%m-%d %H:%M"
        when = time.gmtime(self.ctx.host.clock.wall)
        self.date_text = time.strftime(fmt, when).encode()
        text = self.custom_header if self.custom_header is not None else \
            (filename if is_file else "")
        self.file_text = text.encode("utf-8", "surrogateescape")
        self.header_width_available = (self.chars_per_line - len(self.date_text.decode())
                                       - len(text))

    # ------------------------------------------------------------ pages
    def print_files(self, names: list[str]) -> None:
        self.init_parameters(len(names))
        if not self.init_fps(names):
            return
        if self.first_page_number > 1:
            if not self.skip_to_page(self.first_page_number):
                return
            self.page_number = self.first_page_number
        else:
            self.page_number = 1
        self.init_funcs()
        self.line_number = self.line_count
        while self.print_page():
            pass

    def cols_ready_to_print(self) -> int:
        return sum(1 for q in self.column_vector
                   if q.status in (OPEN, FF_FOUND)
                   or (self.storing_columns and q.lines_stored > 0 and q.lines_to_print > 0))

    def close_file(self, p: Column) -> None:
        if p.status == CLOSED:
            return
        if not self.parallel_files:
            for q in self.column_vector:
                q.status = CLOSED
                if q.lines_stored == 0:
                    q.lines_to_print = 0
        else:
            p.status = CLOSED
            p.lines_to_print = 0
        self.files_ready_to_read -= 1

    def hold_file(self, p: Column) -> None:
        if not self.parallel_files:
            for q in self.column_vector:
                q.status = FF_FOUND if self.storing_columns else ON_HOLD
        else:
            p.status = ON_HOLD
        p.lines_to_print = 0
        self.files_ready_to_read -= 1

    def reset_status(self) -> None:
        for p in self.column_vector:
            if p.status == ON_HOLD:
                p.status = OPEN
                self.files_ready_to_read += 1
        if self.storing_columns:
            self.files_ready_to_read = 0 if self.column_vector[0].status == CLOSED else 1

    def init_page(self) -> None:
        cols = self.column_vector
        if self.storing_columns:
            self.store_columns()
            for p in cols[:-1]:
                p.lines_to_print = p.lines_stored
            p = cols[-1]
            if self.balance_columns:
                p.lines_to_print = p.lines_stored
            else:
                p.lines_to_print = self.lines_per_body if p.status == OPEN else 0
        else:
            for p in cols:
                p.lines_to_print = self.lines_per_body if p.status == OPEN else 0

    def align_column(self, p: Column) -> None:
        self.padding_not_printed = p.start_position
        if self.col_sep_length < self.padding_not_printed:
            self.pad_across_to(self.padding_not_printed - self.col_sep_length)
            self.padding_not_printed = ANYWHERE
        if self.use_col_separator:
            self.print_sep_string()
        if p.numbered:
            self.add_line_number(p)

    def print_func(self, p: Column) -> bool:
        return self.print_stored(p) if p.store else self.read_line(p)

    def print_page(self) -> bool:
        self.init_page()
        if self.cols_ready_to_print() == 0:
            return False
        if self.extremities:
            self.print_a_header = True
        self.pad_vertically = False
        pv = False
        lines_left = self.lines_per_body * (2 if self.double_space else 1)
        while lines_left > 0 and self.cols_ready_to_print() > 0:
            self.output_position = 0
            self.spaces_not_printed = 0
            self.separators_not_printed = 0
            self.pad_vertically = False
            self.align_empty_cols = False
            self.empty_line = True
            for p in self.column_vector:
                self.input_position = 0
                if p.lines_to_print > 0 or p.status == FF_FOUND:
                    self.FF_only = False
                    self.padding_not_printed = p.start_position
                    if not self.print_func(p):
                        self.read_rest_of_line(p)
                    pv |= self.pad_vertically
                    p.lines_to_print -= 1
                    if p.lines_to_print <= 0 and self.cols_ready_to_print() == 0:
                        break
                    if self.parallel_files and p.status != OPEN:
                        if self.empty_line:
                            self.align_empty_cols = True
                        elif p.status == CLOSED or (p.status == ON_HOLD and self.FF_only):
                            self.align_column(p)
                elif self.parallel_files:
                    if self.empty_line:
                        self.align_empty_cols = True
                    else:
                        self.align_column(p)
                if self.use_col_separator:
                    self.separators_not_printed += 1
            if self.pad_vertically:
                self.putchar(10)
                lines_left -= 1
            if self.cols_ready_to_print() == 0 and not self.extremities:
                break
            if self.double_space and pv:
                self.putchar(10)
                lines_left -= 1
        if lines_left == 0:
            for p in self.column_vector:
                if p.status == OPEN:
                    p.full_page_printed = True
        self.pad_vertically = pv
        if self.pad_vertically and self.extremities:
            self.pad_down(lines_left + LINES_PER_FOOTER)
        elif self.keep_FF and self.print_a_FF:
            self.putchar(12)
            self.print_a_FF = False
        self.page_number += 1
        if self.last_page_number < self.page_number:
            return False
        self.reset_status()
        return True

    # ------------------------------------------------------------ storing
    def store_columns(self) -> None:
        line = 0
        self.buff = bytearray()
        buff_start = 0
        last_col = self.columns if self.balance_columns else self.columns - 1
        cols = self.column_vector
        self.line_vector, self.end_vector = [], []
        for p in cols[:last_col]:
            p.lines_stored = 0
        for p in cols[:last_col]:
            if not self.files_ready_to_read:
                break
            p.current_line = line
            j = self.lines_per_body
            while j and self.files_ready_to_read:
                if p.status == OPEN:
                    self.input_position = 0
                    if not self.read_line(p, store=True):
                        self.read_rest_of_line(p)
                    if p.status == OPEN or buff_start != len(self.buff):
                        p.lines_stored += 1
                        self.line_vector.append(buff_start)
                        self.end_vector.append(self.input_position)
                        line += 1
                        buff_start = len(self.buff)
                j -= 1
        self.line_vector.append(buff_start)
        if self.balance_columns:
            first_line = 0
            for i, p in enumerate(cols, 1):
                lines = line // self.columns + (1 if i <= line % self.columns else 0)
                p.lines_stored = lines
                p.current_line = first_line
                first_line += lines

    def char_func(self, p: Column, c: int, store: bool = False) -> None:
        if store or p.store:
            self.buff.append(c)
        else:
            self.print_char(c)

    def add_line_number(self, p: Column, store: bool = False) -> None:
        text = f"{self.line_number:{self.chars_per_number}d}"[-self.chars_per_number:]
        self.line_number += 1
        for ch in text.encode():
            self.char_func(p, ch, store)
        if self.columns > 1:
            if self.number_separator == ord("\t"):
                for _ in range(self.number_width - self.chars_per_number):
                    self.char_func(p, 32, store)
            else:
                self.char_func(p, self.number_separator, store)
        else:
            self.char_func(p, self.number_separator, store)
            if self.number_separator == ord("\t"):
                self.output_position += _tab_width(self.chars_per_output_tab,
                                                   self.output_position)
        if self.truncate_lines and not self.parallel_files:
            self.input_position += self.number_width

    # ------------------------------------------------------------ output
    def pad_across_to(self, position: int) -> None:
        if self.tabify_output:
            self.spaces_not_printed = position - self.output_position
        else:
            h = self.output_position
            while h + 1 <= position:
                self.putchar(32)
                h += 1
            self.output_position = position

    def pad_down(self, lines: int) -> None:
        if self.use_form_feed:
            self.putchar(12)
        else:
            self.out += b"\n" * lines

    def read_rest_of_line(self, p: Column) -> None:
        f = p.fp
        while True:
            c = f.getc()
            if c == 10:
                return
            if c == 12:
                c = f.getc()
                if c != 10:
                    f.ungetc(c)
                if self.keep_FF:
                    self.print_a_FF = True
                self.hold_file(p)
                return
            if c == EOF:
                self.close_file(p)
                return

    def skip_read(self, p: Column, column_number: int) -> None:
        f = p.fp
        c = f.getc()
        single_ff = False
        if c == 12 and p.full_page_printed:
            c = f.getc()
            if c == 10:
                c = f.getc()
        p.full_page_printed = False
        if c == 12:
            single_ff = True
        if self.last_line:
            p.full_page_printed = True
        while c != 10:
            if c == 12:
                if self.last_line:
                    if not self.parallel_files:
                        for q in self.column_vector:
                            q.full_page_printed = False
                    else:
                        p.full_page_printed = False
                c = f.getc()
                if c != 10:
                    f.ungetc(c)
                self.hold_file(p)
                break
            if c == EOF:
                self.close_file(p)
                break
            c = f.getc()
        if self.skip_count and (not self.parallel_files or column_number == 1) \
                and not single_ff:
            self.line_count += 1

    def skip_to_page(self, page: int) -> bool:
        n = 1
        while n < page:
            for _ in range(1, self.lines_per_body):
                for j, p in enumerate(self.column_vector, 1):
                    if p.status == OPEN:
                        self.skip_read(p, j)
            self.last_line = True
            for j, p in enumerate(self.column_vector, 1):
                if p.status == OPEN:
                    self.skip_read(p, j)
            if self.storing_columns:
                for p in self.column_vector:
                    if p.status != CLOSED:
                        p.status = ON_HOLD
            self.reset_status()
            self.last_line = False
            if self.files_ready_to_read < 1:
                self.flush()
                self.ctx.term.err(f"pr: starting page number {page} exceeds page count {n}\n")
                break
            n += 1
        return self.files_ready_to_read > 0

    def print_white_space(self) -> None:
        h_old = self.output_position
        goal = h_old + self.spaces_not_printed
        while goal - h_old > 1:
            h_new = h_old + _tab_width(self.chars_per_output_tab, h_old)
            if h_new > goal:
                break
            self.putchar(self.output_tab_char)
            h_old = h_new
        while h_old + 1 <= goal:
            self.putchar(32)
            h_old += 1
        self.output_position = goal
        self.spaces_not_printed = 0

    def print_sep_string(self) -> None:
        if self.separators_not_printed <= 0:
            if self.spaces_not_printed > 0:
                self.print_white_space()
            return
        sep = self.col_sep_string
        # l counts down once over all the separators (pr.c's `l` is not reset)
        remaining = len(sep)
        i = 0
        while self.separators_not_printed > 0:
            while remaining > 0:
                remaining -= 1
                c = sep[i]
                i += 1
                if c == 32:
                    self.spaces_not_printed += 1
                else:
                    if self.spaces_not_printed > 0:
                        self.print_white_space()
                    self.putchar(c)
                    self.output_position += 1
            if self.spaces_not_printed > 0:
                self.print_white_space()
            self.separators_not_printed -= 1

    def print_char(self, c: int) -> None:
        if self.tabify_output:
            if c == 32:
                self.spaces_not_printed += 1
                return
            if self.spaces_not_printed > 0:
                self.print_white_space()
            if not 32 <= c < 127:
                if c == 8:
                    self.output_position -= 1
            else:
                self.output_position += 1
        self.putchar(c)

    def print_header(self) -> None:
        self.output_position = 0
        self.pad_across_to(self.chars_per_margin)
        self.print_white_space()
        page_text = f"Page {self.page_number}".encode()
        available = max(0, self.header_width_available - len(page_text))
        lhs = available >> 1
        rhs = available - lhs
        self.out += (b"\n\n" + b" " * self.chars_per_margin + self.date_text
                     + b" " * max(lhs, 1) + self.file_text + b" " * max(rhs, 1)
                     + page_text + b"\n\n\n")
        self.print_a_header = False
        self.output_position = 0

    def char_to_clump(self, c: int) -> list[int]:
        chars_per_c = self.chars_per_input_tab if c == self.input_tab_char else 8
        if c == self.input_tab_char or c == 9:
            width = _tab_width(chars_per_c, self.input_position)
            clump = [32] * width if self.untabify_input else [c]
        elif not 32 <= c < 127:
            if self.use_esc_sequence or (self.use_cntrl_prefix and c >= 0o200):
                width, clump = 4, list(b"\\%03o" % c)
            elif self.use_cntrl_prefix:
                width, clump = 2, [ord("^"), c ^ 0o100]
            elif c == 8:
                width, clump = -1, [c]
            else:
                width, clump = 0, [c]
        else:
            width, clump = 1, [c]
        if width < 0 and self.input_position == 0:
            clump = []
            self.input_position = 0
        elif width < 0 and self.input_position <= -width:
            self.input_position = 0
        else:
            self.input_position += width
        return clump

    def read_line(self, p: Column, store: bool = False) -> bool:
        f = p.fp
        c = f.getc()
        last_input_position = self.input_position
        if c == 12 and p.full_page_printed:
            c = f.getc()
            if c == 10:
                c = f.getc()
        p.full_page_printed = False
        clump: list[int] = []
        if c == 12:
            c = f.getc()
            if c != 10:
                f.ungetc(c)
            self.FF_only = True
            if self.print_a_header and not self.storing_columns:
                self.pad_vertically = True
                self.print_header()
            elif self.keep_FF:
                self.print_a_FF = True
            self.hold_file(p)
            return True
        if c == EOF:
            self.close_file(p)
            return True
        if c != 10:
            clump = self.char_to_clump(c)
        if self.truncate_lines and self.input_position > self.chars_per_column:
            self.input_position = last_input_position
            return False
        if not (store or p.store):
            self.pad_vertically = True
            if self.print_a_header and not self.storing_columns:
                self.print_header()
            if self.parallel_files and self.align_empty_cols:
                k = self.separators_not_printed
                self.separators_not_printed = 0
                for q in self.column_vector[:k]:
                    self.align_column(q)
                    self.separators_not_printed += 1
                self.padding_not_printed = p.start_position
                self.spaces_not_printed = self.chars_per_column if self.truncate_lines else 0
                self.align_empty_cols = False
            if self.col_sep_length < self.padding_not_printed:
                self.pad_across_to(self.padding_not_printed - self.col_sep_length)
                self.padding_not_printed = ANYWHERE
            if self.use_col_separator:
                self.print_sep_string()
        if p.numbered:
            self.add_line_number(p, store)
        self.empty_line = False
        if c == 10:
            return True
        for ch in clump:
            self.char_func(p, ch, store)
        while True:
            c = f.getc()
            if c == 10:
                return True
            if c == 12:
                c = f.getc()
                if c != 10:
                    f.ungetc(c)
                if self.keep_FF:
                    self.print_a_FF = True
                self.hold_file(p)
                return True
            if c == EOF:
                self.close_file(p)
                return True
            last_input_position = self.input_position
            clump = self.char_to_clump(c)
            if self.truncate_lines and self.input_position > self.chars_per_column:
                self.input_position = last_input_position
                return False
            for ch in clump:
                self.char_func(p, ch, store)

    def print_stored(self, p: Column) -> bool:
        line = p.current_line
        p.current_line += 1
        first, last = self.line_vector[line], self.line_vector[line + 1]
        self.pad_vertically = True
        if self.print_a_header:
            self.print_header()
        if p.status == FF_FOUND:
            for q in self.column_vector:
                q.status = ON_HOLD
            if self.column_vector[0].lines_to_print <= 0:
                if not self.extremities:
                    self.pad_vertically = False
                return True
        if self.col_sep_length < self.padding_not_printed:
            self.pad_across_to(self.padding_not_printed - self.col_sep_length)
            self.padding_not_printed = ANYWHERE
        if self.use_col_separator:
            self.print_sep_string()
        for c in self.buff[first:last]:
            self.print_char(c)
        if self.spaces_not_printed == 0:
            self.output_position = p.start_position + self.end_vector[line]
            if p.start_position - self.col_sep_length == self.chars_per_margin:
                self.output_position -= self.col_sep_length
        return True

    def flush(self) -> None:
        self.ctx.term.out(self.out.decode("utf-8", "surrogateescape"))
        self.out = bytearray()


LONGS = {"pages=": "--pages", "columns=": "--columns", "across": "a",
         "show-control-chars": "c", "double-space": "d", "date-format=": "D",
         "expand-tabs": "e", "form-feed": "f", "header=": "h", "output-tabs": "i",
         "join-lines": "J", "length=": "l", "merge": "m", "number-lines": "n",
         "first-line-number=": "N", "indent=": "o", "no-file-warnings": "r",
         "separator": "s", "sep-string": "S", "omit-header": "t", "omit-pagination": "T",
         "show-nonprinting": "v", "width=": "w", "page-width=": "W", "help": "--help",
         "version": "--version"}
OPTIONAL = set("eSins")          # "e::", "i::", "n::", "s::", "S::"
WITH_ARG = set("DNWhlow")


def _num(text: str, low: int, what: str) -> int:
    """getoptnum(): xdectoimax() between LOW and INT_MAX."""
    if not re.fullmatch(r"\s*[-+]?\d+", text):
        raise CommandError(f"pr: {what}: ‘{text}’\n", 1)
    value = int(text)
    if not low <= value <= INT_MAX:
        raise CommandError(f"pr: {what}: ‘{text}’: Numerical result out of range\n", 1)
    return value


def _parse(argv: list[str]) -> list[tuple[str, str | None]]:
    """getopt_long() with "-0123456789D:FJN:S::TW:abcde::fh:i::l:mn::o:rs::tvw:": in
    order (operands as they come, as "\\1"), optional values attached only."""
    opts: list[tuple[str, str | None]] = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--":
            opts.extend(("\1", a) for a in args)
            break
        if not arg.startswith("-") or arg == "-":
            opts.append(("\1", arg))
            continue
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            found = [k for k in LONGS if k.rstrip("=") == name] or \
                [k for k in LONGS if k.startswith(name)]
            if not found:
                raise CommandError(f"pr: unrecognized option '{arg}'\n{gnuopt.try_help('pr')}",
                                   1)
            if len(found) > 1:
                names = "".join(f" '--{k.rstrip('=')}'" for k in found)
                raise CommandError(f"pr: option '{arg.partition('=')[0]}' is ambiguous; "
                                   f"possibilities:{names}\n{gnuopt.try_help('pr')}", 1)
            key = found[0]
            letter = LONGS[key]
            if key.endswith("="):
                if not eq:
                    if not args:
                        raise CommandError(f"pr: option '--{key[:-1]}' requires an argument\n"
                                           + gnuopt.try_help("pr"), 1)
                    value = args.pop(0)
                opts.append((letter, value))
            else:
                opts.append((letter, value if eq else None))
            continue
        i = 1
        while i < len(arg):
            letter = arg[i]
            if letter.isdigit():
                opts.append((letter, None))
                i += 1
                continue
            if letter in WITH_ARG:
                value = arg[i + 1:] or (args.pop(0) if args else None)
                if value is None:
                    raise CommandError(f"pr: option requires an argument -- '{letter}'\n"
                                       + gnuopt.try_help("pr"), 1)
                opts.append((letter, value))
                break
            if letter in OPTIONAL:
                opts.append((letter, arg[i + 1:] or None))
                break
            if letter not in "FJTabcdfmrtv":
                raise CommandError(f"pr: invalid option -- '{letter}'\n"
                                   + gnuopt.try_help("pr"), 1)
            opts.append((letter, None))
            i += 1
    return opts


def main(ctx: ToolContext, argv: list[str]) -> int:
    opts = _parse(argv[1:])
    pr = Pr(ctx)
    names: list[str] = []
    old_options = old_w = old_s = False
    digits = ""
    for c, optarg in opts:
        if c.isdigit():
            digits += c
            continue
        if c == "--help" or c == "--version":
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "pr", c)
        if c == "\1":
            if not (pr.first_page_number == 0 and optarg.startswith("+")
                    and _first_last_page(pr, optarg[1:])):
                names.append(optarg)
        elif c == "--pages":
            if not _first_last_page(pr, optarg):
                raise CommandError(f"pr: invalid page range ‘{optarg}’\n", 1)
        elif c == "--columns":
            pr.columns = _num(optarg, 1, "invalid number of columns")
            pr.explicit_columns = True
            digits = ""
        elif c == "a":
            pr.print_across_flag = True
            pr.storing_columns = False
        elif c == "b":
            pr.balance_columns = True
        elif c == "c":
            pr.use_cntrl_prefix = True
        elif c == "d":
            pr.double_space = True
        elif c == "D":
            pr.date_format = optarg
        elif c == "e":
            if optarg:
                pr.input_tab_char, pr.chars_per_input_tab = _getoptarg(
                    optarg, "e", pr.input_tab_char, pr.chars_per_input_tab)
            pr.untabify_input = True
        elif c in ("f", "F"):
            pr.use_form_feed = True
        elif c == "h":
            pr.custom_header = optarg
        elif c == "i":
            if optarg:
                pr.output_tab_char, pr.chars_per_output_tab = _getoptarg(
                    optarg, "i", pr.output_tab_char, pr.chars_per_output_tab)
            pr.tabify_output = True
        elif c == "J":
            pr.join_lines = True
        elif c == "l":
            pr.lines_per_page = _num(optarg, 1, "'-l PAGE_LENGTH' invalid number of lines")
        elif c == "m":
            pr.parallel_files = True
            pr.storing_columns = False
        elif c == "n":
            pr.numbered_lines = True
            if optarg:
                pr.number_separator, pr.chars_per_number = _getoptarg(
                    optarg, "n", pr.number_separator, pr.chars_per_number)
        elif c == "N":
            pr.skip_count = False
            pr.start_line_num = _num(optarg, -INT_MAX - 1,
                                     "'-N NUMBER' invalid starting line number")
        elif c == "o":
            pr.chars_per_margin = _num(optarg, 0, "'-o MARGIN' invalid line offset")
        elif c == "r":
            pr.ignore_failed_opens = True
        elif c == "s":
            old_options = old_s = True
            if not pr.use_col_separator and optarg:
                pr.col_sep_string = optarg.encode("utf-8", "surrogateescape")
        elif c == "S":
            old_s = False
            pr.col_sep_string = b""
            pr.use_col_separator = True
            if optarg:
                pr.col_sep_string = optarg.encode("utf-8", "surrogateescape")
        elif c == "t":
            pr.extremities = False
            pr.keep_FF = True
        elif c == "T":
            pr.extremities = False
            pr.keep_FF = False
        elif c == "v":
            pr.use_esc_sequence = True
        elif c == "w":
            old_options = old_w = True
            width = _num(optarg, 1, "'-w PAGE_WIDTH' invalid number of characters")
            if not pr.truncate_lines:
                pr.chars_per_line = width
        elif c == "W":
            old_w = False
            pr.truncate_lines = True
            pr.chars_per_line = _num(optarg, 1, "'-W PAGE_WIDTH' invalid number of characters")
    if digits:
        pr.columns = _num(digits, 1, "invalid number of columns")
        pr.explicit_columns = True
    if pr.first_page_number == 0:
        pr.first_page_number = 1
    if pr.parallel_files and pr.explicit_columns:
        raise CommandError("pr: cannot specify number of columns when printing in parallel\n",
                           1)
    if pr.parallel_files and pr.print_across_flag:
        raise CommandError("pr: cannot specify both printing across and printing in "
                           "parallel\n", 1)
    if old_options:
        if old_w:
            if pr.parallel_files or pr.explicit_columns:
                pr.truncate_lines = True
                if old_s:
                    pr.use_col_separator = True
            else:
                pr.join_lines = True
        elif not pr.use_col_separator:
            if old_s and (pr.parallel_files or pr.explicit_columns):
                if not pr.truncate_lines:
                    pr.join_lines = True
                    if pr.col_sep_length > 0:
                        pr.use_col_separator = True
                else:
                    pr.use_col_separator = True
    try:
        if not names:
            pr.print_files([])
        elif pr.parallel_files:
            pr.print_files(names)
        else:
            for name in names:
                pr.print_files([name])
    finally:
        pr.flush()
    return 1 if pr.failed_opens else 0


def _first_last_page(pr: Pr, pages: str) -> bool:
    match = re.fullmatch(r"(\d+)(?::(\d+))?", pages)
    if not match or int(match.group(1)) == 0:
        return False
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else 1 << 64
    if last < first:
        return False
    pr.first_page_number, pr.last_page_number = first, last
    return True


def _getoptarg(arg: str, switch: str, char: int, number: int) -> tuple[int, int]:
    """getoptarg(): an optional leading character, then a positive width."""
    if arg and not arg[0].isdigit():
        char, arg = ord(arg[0]), arg[1:]
    if arg:
        if not arg.isdigit() or int(arg) <= 0 or int(arg) > INT_MAX:
            raise CommandError(f"pr: '-{switch}' extra characters or invalid number in the "
                               f"argument: ‘{arg}’\n" + gnuopt.try_help("pr"), 1)
        number = int(arg)
    return char, number
