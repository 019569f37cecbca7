"""Test-only: put this folder on PYTHONPATH of a served app to bend every import's stored rows so the first person's
point at respondent PL_TEST_BEND_TO (a person of another school), as a fault in assembling them would. The import's own
check (store.integrity) must then refuse it. Used by tests/pages/test_upload_trust.py; never on a real server."""

import os

if os.environ.get("PL_TEST_BEND_TO"):
    from pl_core.store import imports as _imports

    _assembled = _imports._response_arrays

    def _bent(*args):
        rows = _assembled(*args)
        rows.person_ids[0] = int(os.environ["PL_TEST_BEND_TO"])  # the first person's answers
        return rows

    _imports._response_arrays = _bent
