"""``factkit check``: load a pack strictly, lint it, and run its examples.

Problems print as ``file:line:col: where: what [CODE]``. Error codes start with E (the pack cannot be
used), warnings with W (it works but should be better), failures with F (an example does not hold).
Exit codes: 2 if a pack cannot be loaded, else 1 if an example fails (or, with ``--strict``, if there are
warnings), else 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .cases import pack_cases
from .errors import FactkitError, PackError, Problem
from .pack_loader import Pack, PackRef, load_pack


@dataclass
class CheckReport:
    source: str
    pack: Pack | None = None
    problems: list[Problem] = field(default_factory=list)
    examples_run: int = 0
    load_error: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def failures(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "failure"]

    def exit_code(self, *, strict: bool = False) -> int:
        if self.load_error or self.errors:
            return 2
        if self.failures or (strict and self.warnings):
            return 1
        return 0

    def lines(self) -> list[str]:
        out = [_format(p) for p in self.problems]
        if self.load_error:
            out.append(self.load_error)
        name = self.pack.name if self.pack else self.source
        if self.pack is not None:
            out.append(f"{name}: {len(self.pack.spec.rules)} rules, {self.examples_run} examples run, "
                       f"{len(self.failures)} failed, {len(self.warnings)} warnings")
        else:
            out.append(f"{name}: not loaded ({len(self.errors)} errors)")
        return out


def _format(problem: Problem) -> str:
    """One ``file:line:col: where: what [CODE]`` line, then any details (a failed example's report)."""
    head, _, details = problem.message.partition("\n")
    line = str(replace(problem, message=head)) + (f" ({problem.severity})" if problem.severity != "error" else "")
    return line + ("\n" + details if details else "")


def check_pack(source: PackRef) -> CheckReport:
    report = CheckReport(str(source))
    try:
        pack = load_pack(source)
    except PackError as exc:
        report.problems.extend(exc.problems)
        return report
    except FactkitError as exc:
        report.load_error = f"{source}: {exc}"
        return report
    report.pack = pack
    report.problems.extend(lint_pack(pack))
    cache: dict = {}
    for case in pack_cases(pack):
        report.examples_run += 1
        try:
            result = case.run(cache)
        except FactkitError as exc:
            report.problems.append(Problem(case.file, case.line, case.col, case.id, f"raised {exc}", "F002", "failure"))
            continue
        if result.ok == bool(case.xfail):
            what = "passed but is marked xfail" if case.xfail else "failed\n    " + \
                result.report().replace("\n", "\n    ")
            report.problems.append(Problem(case.file, case.line, case.col, case.id, what, "F001", "failure"))
    return report


def lint_pack(pack: Pack) -> list[Problem]:
    """Warnings: rules without examples or must_not_match, macros nothing uses. (Patterns that can
    backtrack catastrophically are compile errors, E047, unless a rule sets ``allow_backtracking``.)"""
    out = []
    for rule in pack.spec.rules:
        where = f"rule {rule.id}"
        if not rule.examples:
            out.append(pack.problem(("rule", rule.id), where, "no examples: add texts the rule must handle",
                                    "W001", "warning"))
        if not rule.must_not_match and rule.pattern is not None:
            out.append(pack.problem(("rule", rule.id), where, "no must_not_match: add texts the rule must "
                                    "leave alone", "W002", "warning"))
    for name in pack.compiled.unused_macros:
        out.append(pack.problem(("macro", name), f"macro {name}", "never used by a rule", "W003", "warning"))
    return out
