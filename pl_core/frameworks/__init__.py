"""Frameworks as data: schema, loader and immutable model."""

from .loader import (
    FrameworkError,
    FrameworkProblem,
    framework_files,
    list_frameworks,
    load_framework,
    parse_framework,
    read_framework_file,
)
from .model import OURS_MARK, Framework, FrameworkDomain, FrameworkGroup, FrameworkItem, Legend, RatingScale, ScaleLevel

__all__ = [
    "OURS_MARK",
    "Framework",
    "FrameworkDomain",
    "FrameworkError",
    "FrameworkGroup",
    "FrameworkItem",
    "FrameworkProblem",
    "Legend",
    "RatingScale",
    "ScaleLevel",
    "framework_files",
    "list_frameworks",
    "load_framework",
    "parse_framework",
    "read_framework_file",
]
