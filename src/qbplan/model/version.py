"""qbplan's version, as reports and saved runs name it."""

__version__ = "0.1.0"
