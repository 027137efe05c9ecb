"""Reporting periods and history: a record of every saved check, and the trend to the deadline.

:mod:`~qbplan.history.periods` parses a period (``2024``, ``2024-Q1``,
``2024-H1``, ``2024-03``); :mod:`~qbplan.history.store` keeps each saved run in
an SQLite database, never overwriting one; :mod:`~qbplan.history.trend` reads
the current run of each period back as a series per indicator, with the
change since the previous period and a straight-line projection to the target.
"""
