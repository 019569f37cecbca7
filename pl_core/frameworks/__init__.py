"""Frameworks as data: schema, loader and immutable model."""

from .loader import (
    BrokenFramework,
    FrameworkCheck,
    FrameworkError,
    FrameworkProblem,
    broken_frameworks,
    check_framework_files,
    framework_files,
    list_frameworks,
    load_framework,
    parse_framework,
    read_framework_file,
)
from .model import OURS_MARK, Framework, FrameworkDomain, FrameworkGroup, FrameworkItem, Legend, RatingScale, ScaleLevel

__all__ = [
    "OURS_MARK",
    "BrokenFramework",
    "Framework",
    "FrameworkCheck",
    "FrameworkDomain",
    "FrameworkError",
    "FrameworkGroup",
    "FrameworkItem",
    "FrameworkProblem",
    "Legend",
    "RatingScale",
    "ScaleLevel",
    "broken_frameworks",
    "check_framework_files",
    "framework_files",
    "list_frameworks",
    "load_framework",
    "parse_framework",
    "read_framework_file",
]
