"""Demo data for a believable mobile mall. Every function is idempotent: running the
seed twice finds what the first run made and creates nothing twice."""
