"""Where the databases live and how their schemas move forward, for every engine.

The history (``check --save``) and the intake (``qbplan serve``) both run on an
SQLite file by default and on a PostgreSQL server when given ``postgresql://…``.
This package holds what they share: what a ``--db`` value names, and one
Alembic environment that runs each one's migrations on a connection it is given.
"""
