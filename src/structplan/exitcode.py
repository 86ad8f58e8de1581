"""The exit codes of the `structplan` command, defined once (README: exit codes)."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """What a command's exit code says."""

    #: Success.
    OK = 0
    #: The answer is no: no plan exists, a check fails, plans differ.
    NO = 1
    #: Bad input or usage, an output that cannot be written included.
    BAD = 2
    #: Interrupted (Ctrl-C, SIGINT).
    INTERRUPTED = 130
    #: Terminated (SIGTERM).
    TERMINATED = 143
