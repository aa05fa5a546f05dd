"""The probe: one exported day (yesterday) sampled for event names and account values,
so the wizard can pre-select features and preview matches before any backfill."""

from usage_analytics.probe.run import ProbeDeps, probe_day, run_probe
from usage_analytics.probe.sampler import DaySample, sample_day

__all__ = ["DaySample", "ProbeDeps", "probe_day", "run_probe", "sample_day"]
