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
from .model import Framework, FrameworkDomain, FrameworkGroup, FrameworkItem, RatingScale, ScaleLevel

__all__ = [
    "Framework",
    "FrameworkDomain",
    "FrameworkError",
    "FrameworkGroup",
    "FrameworkItem",
    "FrameworkProblem",
    "RatingScale",
    "ScaleLevel",
    "framework_files",
    "list_frameworks",
    "load_framework",
    "parse_framework",
    "read_framework_file",
]
