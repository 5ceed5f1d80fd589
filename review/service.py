"""The review service: one import for the plain functions the CLI, the TUI and Python scripts
call. Each use-case lives in its own module; this facade re-exports their public names so that
`from review import service; service.record_decision(...)` keeps working.

- opening a review: `review.opening`
- settings by key: `review.setting_values` (typed ones: `review.settings`)
- importing: `review.import_service`; the quarantine: `review.quarantine`
- records: `review.records`; the screening queue and progress: `review.queue`
- status: `review.status`; decisions and the audit log: `review.decision_service`
- exports: `review.export_service`
"""

from __future__ import annotations

from review.decision_service import (
    HistoryRow,
    audit_log,
    decision_history,
    decision_view,
    list_decisions,
    record_decision,
    undo_decision,
)
from review.decisions import DecisionView
from review.export_service import export_decisions, export_records, iter_records
from review.import_service import import_files
from review.importing import ImportReport
from review.opening import (
    discard_unused_review,
    open_review,
    rename_review,
    review_exists,
    review_info,
)
from review.quarantine import QuarantineView, list_quarantine, resolve_quarantine
from review.queue import (
    ClusterMembership,
    Progress,
    cluster_of,
    count_undecided,
    first_undecided,
    removed_duplicates,
    reviewer_counts,
    screening_progress,
    standing_in_order,
    undecided_among,
    undecided_ids,
    undecided_record,
)
from review.records import RECORD_FIELDS, RecordRow, RecordView, get_record, list_records
from review.setting_values import get_setting, set_keywords, set_setting
from review.status import BatchSummary, Status, review_status

__all__ = [
    "RECORD_FIELDS",
    "BatchSummary",
    "ClusterMembership",
    "DecisionView",
    "HistoryRow",
    "ImportReport",
    "Progress",
    "QuarantineView",
    "RecordRow",
    "RecordView",
    "Status",
    "audit_log",
    "cluster_of",
    "count_undecided",
    "decision_history",
    "decision_view",
    "discard_unused_review",
    "export_decisions",
    "export_records",
    "first_undecided",
    "get_record",
    "get_setting",
    "import_files",
    "iter_records",
    "list_decisions",
    "list_quarantine",
    "list_records",
    "open_review",
    "record_decision",
    "removed_duplicates",
    "rename_review",
    "resolve_quarantine",
    "review_exists",
    "review_info",
    "review_status",
    "reviewer_counts",
    "screening_progress",
    "set_keywords",
    "set_setting",
    "standing_in_order",
    "undecided_among",
    "undecided_ids",
    "undecided_record",
    "undo_decision",
]
