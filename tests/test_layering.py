"""The kernel package imports nothing above it (tools, printers, the shell, ...):
data flows one way, kernel → records → render."""
from __future__ import annotations

import ast
from pathlib import Path

import ipemu

KERNEL = Path(ipemu.__file__).parent / "kernel"
ABOVE = ("tools", "render", "tcpdump", "session", "shell", "shell_line", "bash", "transcript",
         "cli", "process", "devudp", "pcap")


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            # `from ipemu import render` names the module in the alias
            if node.module == "ipemu":
                found += [(node.lineno, f"ipemu.{a.name}") for a in node.names]
    return found


def test_kernel_imports_nothing_above_it():
    bad = []
    for path in sorted(KERNEL.rglob("*.py")):
        for line, module in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            parts = module.split(".")
            if parts[0] == "ipemu" and len(parts) > 1 and parts[1] in ABOVE:
                bad.append(f"{path.relative_to(KERNEL.parent)}:{line}: {module}")
    assert not bad, "the kernel imports from above it:\n" + "\n".join(bad)


def test_relative_imports_stay_inside_the_kernel():
    for path in sorted(KERNEL.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                depth = len(path.relative_to(KERNEL).parts) - 1
                assert node.level <= depth + 1, f"{path}: relative import leaves ipemu.kernel"
