"""A pytest plugin loaded before the others (``-p tests.import_speed`` in pyproject's addopts).

nbval, papermill and nbconvert import nbformat, whose jsonschema loads the optional
"iri" format checker rfc3987-syntax when it is installed (jupyter-events asks for it):
about a second of grammar building in every test process, for a format no notebook
uses. The kit's own report processes skip it (:func:`kit.report.execute.skip_unused_format_checker`);
the test processes do the same before nbval loads.
"""

from kit.report.execute import skip_unused_format_checker

skip_unused_format_checker()
