"""The one exception a tool raises to stop: the real tool's message and exit status."""
from __future__ import annotations


class CommandError(Exception):
    """`message` is printed on stderr exactly as given (newline included by the raiser
    when the real tool prints one); `status` is the exit status."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.message = message
        self.status = status
