"""`make bench`: the performance report (load on gunicorn, SQL per request, Lighthouse,
worker memory, a profile of the slowest page). Not part of the test suite.

run.py orchestrates; fixtures.py and inprocess.py run inside Django (bench settings);
loadgen.py drives load from a separate process; report.py writes the report.
"""
