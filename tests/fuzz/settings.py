"""One hypothesis setting for every fuzz test: bounded, repeatable, no example database on disk."""

from hypothesis import HealthCheck, settings


def bounded(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
