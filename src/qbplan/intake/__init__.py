"""The intake of a reporting round: each unit's submissions, their verdicts and the planner's decisions.

One schema (:mod:`qbplan.intake.schema`) through SQLAlchemy Core, migrated
by Alembic, on SQLite by default and on PostgreSQL by URL: the same code and
the same migrations for both engines.
"""
