"""Every error factkit raises, with one root.

    FactkitError
     +-- PackError (ValueError)            a pack failed to load; lists every Problem
     +-- PackNotFoundError (LookupError)   no pack of that name or path
     +-- PluginError (ImportError)         a plugin distribution failed to load
     +-- InputError (ValueError)           a document could not be read (encoding, binary)
     +-- ParseError (ValueError)           a value parser refused a captured text
     +-- ExtractionTimeout (TimeoutError)  a rule ran out of time on a document (on_timeout="error")
    ExtractionTimeoutWarning (UserWarning) the same, as a warning (the default): other facts are kept

Errors from dependencies (yaml, regex, pydantic) are translated into these at the boundary, so a caller
catches ``FactkitError`` and never sees a third-party exception type.

Positions in problems are 1-based lines and columns, as editors show them; fact spans elsewhere are
0-based, end-exclusive character offsets.
"""

from __future__ import annotations

from dataclasses import dataclass


class FactkitError(Exception):
    """Root of every factkit error."""


@dataclass(frozen=True)
class Problem:
    """One problem in a pack, printed as ``file:line:col: where: what [CODE]``."""

    file: str
    line: int
    col: int
    where: str
    message: str
    code: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        return f"{self.file}:{self.line}:{self.col}:{where} {self.message} [{self.code}]"


class PackError(FactkitError, ValueError):
    """A pack could not be loaded; ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in pack"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class PackNotFoundError(FactkitError, LookupError):
    """No pack matches the given name or path."""


class PluginError(FactkitError, ImportError):
    """A plugin distribution registered something that could not be loaded."""


class InputError(FactkitError, ValueError):
    """A document could not be read as text."""


class ParseError(FactkitError, ValueError):
    """A value parser refused the text it was given; the candidate is dropped, never the document."""


class ExtractionTimeout(FactkitError, TimeoutError):
    """A rule ran out of time on a document; ``timeout`` says which rule and where."""

    def __init__(self, message: str, timeout: object = None):
        super().__init__(message)
        self.timeout = timeout


class ExtractionTimeoutWarning(UserWarning):
    """A rule ran out of time on a document and was skipped; the other rules' facts were kept."""

    def __init__(self, message: str, timeout: object = None):
        super().__init__(message)
        self.timeout = timeout
