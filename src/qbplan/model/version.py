"""qbplan's version, as reports and saved runs name it."""

__version__ = "0.1.0"

# The keyword qbplan's own workbook reports carry, so that a report left in
# the inbox is skipped rather than checked as a submission.
REPORT_MARKER = "qbplan-report"
