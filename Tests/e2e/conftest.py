import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from parley_harness import Cluster  # noqa: E402


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


@pytest.fixture
def cluster_factory(request):
    """Makes clusters; every one is stopped and removed after the test, and its
    services' log tails are printed when the test failed."""
    made = []

    def make(**kwargs):
        cluster = Cluster(**kwargs)
        made.append(cluster)
        return cluster

    yield make
    failed = any(getattr(request.node, "rep_" + when, None) is not None and getattr(request.node, "rep_" + when).failed
                 for when in ("setup", "call"))
    for cluster in made:
        cluster.stop()
        if failed:
            cluster.dump_logs()
        cluster.cleanup()
