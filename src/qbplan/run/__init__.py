"""The stages in order: read each file in bounded workers, then the stages after reading, into a report."""
