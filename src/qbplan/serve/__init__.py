"""``qbplan serve``: the web intake of a reporting round, on the library API.

Units upload their workbooks through a per-unit link and get the verdict at
once; the planner follows the round, accepts or sends back each submission,
and downloads the accepted files, the report and the annex. Every rule is the
library's: a submission is checked by :func:`qbplan.run.pipeline.check`, as
``qbplan check`` checks it.
"""
