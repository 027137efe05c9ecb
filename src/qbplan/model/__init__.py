"""The floor of types: what crosses from one stage to another, as data.

Findings and their places, the report and its indicator results, the results
of a sheet, a file and a batch, the cell audit, the names of the columns
qbplan adds, the drill-down of ``explain``, and the version. Nothing here
imports a stage; every stage imports from here.
"""
