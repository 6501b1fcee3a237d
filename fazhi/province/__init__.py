"""A province's worth of generated records, every module's, for benches and trials.

``fazhi province_data`` (``build.province_load``) makes the province, its cities and
counties, staff in each county and a year of matters of every kind — enforcement
cases, permit applications, monitoring patches, disclosure requests,
reconsiderations and lawsuits — in the shares of ``build.SHARES``, each in a state
of its kind's state table with the steps behind it, its clocks counted by the
deadline engine and its audit events chained by ``core.audit.append_many``.

This package sits with the shell (``tests/test_layers.py``): it writes every app's
models, which no app may do for another. The benches build their data with the
same builders (one module per kind).
"""
