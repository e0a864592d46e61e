"""What the class got wrong: one self-contained HTML page, its figures as PNG, its numbers as CSV/JSON.

* ``statistics`` -- the numbers, as plain data (``report.json``), from the results only;
* ``figures`` -- the score distributions, the tests' pass rates, the hints given (PNG);
* ``tables`` -- ``report.json`` and one CSV per table (``readable.write_csv``);
* ``page`` -- ``index.html``, section by section;
* ``folder`` -- ``write`` (the folder) and ``run`` (what ``grade --report`` and ``report`` call).

Words come from ``messages.catalog(lang, assignment)``: the page, its CSVs and its figures are in the
report's language, ids and recorded text as they are.
"""
from autograder.views.report.folder import check_options, run, summary_line, write, write_report
from autograder.views.report.statistics import build, failure_kind

__all__ = ["build", "check_options", "failure_kind", "run", "summary_line", "write", "write_report"]
