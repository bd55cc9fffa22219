# Benchmarks are scripts run by hand (see docs/performance.md), not tests: keep pytest out of this folder.
collect_ignore_glob = ["*.py"]
