"""Ingest: read staff self-assessment uploads (template, Google Forms, Microsoft Forms) into tidy responses."""

from .columns import match_columns, metadata_field
from .levels import LabelMapError, LevelParser, is_missing_token, load_label_map, normalise, parse_label_map
from .parse import read_upload
from .readers import RawTable, UnreadableFile, decode_text, read_table, sniff_delimiter
from .report import (
    COMMENT_COLUMNS,
    RESPONSE_COLUMNS,
    ColumnMatch,
    ImportIssue,
    ImportReport,
    ParsedUpload,
    empty_comments,
    empty_responses,
)
from .respondents import latest_submissions, parse_timestamps, respondent_key, row_key
from .template import template_headers, write_template

__all__ = [
    "COMMENT_COLUMNS",
    "RESPONSE_COLUMNS",
    "ColumnMatch",
    "ImportIssue",
    "ImportReport",
    "LabelMapError",
    "LevelParser",
    "ParsedUpload",
    "RawTable",
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
    "read_table",
    "read_upload",
    "respondent_key",
    "row_key",
    "sniff_delimiter",
    "template_headers",
    "write_template",
]
