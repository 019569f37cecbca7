"""Ingest: read staff self-assessment uploads into tidy responses.

Each survey export has a reader in `sources/` (our template, Google Forms, Google Sheets, Microsoft
Forms, Qualtrics, SurveyMonkey) that turns it into one canonical table; the shared steps in `parse`
then match columns to items, read levels, key respondents, keep the latest submissions and report.
"""

from .columns import match_columns, metadata_field
from .grid import UnreadableFile, decode_text, sniff_delimiter
from .levels import LabelMapError, LevelParser, is_missing_token, load_label_map, normalise, parse_label_map
from .parse import read_upload
from .report import (
    COMMENT_COLUMNS,
    RESPONSE_COLUMNS,
    ColumnMatch,
    ImportIssue,
    ImportReport,
    LabelToMap,
    Option,
    ParsedUpload,
    empty_comments,
    empty_responses,
)
from .respondents import latest_submissions, respondent_key, row_key
from .sources import LABELS as SOURCE_LABELS
from .template import template_headers, write_template
from .timestamps import parse_timestamps

__all__ = [
    "COMMENT_COLUMNS",
    "RESPONSE_COLUMNS",
    "SOURCE_LABELS",
    "ColumnMatch",
    "ImportIssue",
    "LabelToMap",
    "ImportReport",
    "LabelMapError",
    "LevelParser",
    "Option",
    "ParsedUpload",
    "UnreadableFile",
    "decode_text",
    "empty_comments",
    "empty_responses",
    "is_missing_token",
    "latest_submissions",
    "load_label_map",
    "match_columns",
    "metadata_field",
    "normalise",
    "parse_label_map",
    "parse_timestamps",
    "read_upload",
    "respondent_key",
    "row_key",
    "sniff_delimiter",
    "template_headers",
    "write_template",
]
