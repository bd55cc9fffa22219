"""factkit: typed, normalised facts from running text, with declarative YAML rule packs.

>>> import factkit
>>> [(f.kind, f.text, f.value) for f in factkit.extract("Up to 100 troops left on March 28.",
...                                                       reference_date="2019-03-31")]
[('quantity', 'Up to 100 troops', 100), ('date', 'March 28', '2019-03-28')]
"""

import atexit as _atexit

from . import extractor as _extractor
from .errors import (ExtractionTimeout, ExtractionTimeoutWarning, FactkitError, InputError, PackError,
                     PackNotFoundError, ParseError, PluginError, Problem)
from .extractor import Extractor, extract
from .facts import (Date, Duration, Entity, Fact, Money, Number, Ordinal, Percent, Quantity, Range,
                    RelativeOrdinal, fact_adapter)
from .facts import DateSet
from .pack_loader import Pack, load_pack
from .parsers import Fields, ParseContext, ValueParser
from .registry import register_kind, register_pack, register_parser

__version__ = "0.1.0"

# The extractors kept for extract() are let go at exit, before the interpreter's last garbage collections,
# which would otherwise walk their tens of thousands of objects several times (about 0.02 s of CPU).
_atexit.register(_extractor._default_extractors.clear)


def __getattr__(name: str) -> object:
    if name == "evaluate":  # imported on first use: the evaluator is not needed to extract
        from .evaluation import evaluate

        return evaluate
    raise AttributeError(f"module 'factkit' has no attribute {name!r}")

__all__ = [
    "Date", "DateSet", "Duration", "Entity", "evaluate", "extract", "ExtractionTimeout", "ExtractionTimeoutWarning",
    "Extractor", "Fact", "fact_adapter", "FactkitError", "Fields", "InputError", "load_pack", "Money",
    "Number", "Ordinal", "Pack", "PackError", "PackNotFoundError", "ParseContext", "ParseError", "Percent",
    "PluginError", "Problem", "Quantity", "Range", "register_kind", "register_pack", "register_parser",
    "RelativeOrdinal", "ValueParser", "__version__",
]
