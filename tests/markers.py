import pytest

# A test whose data must really be committed (a worker process reads it). The
# seeded mall is restored from the session's snapshot before each such test.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)
