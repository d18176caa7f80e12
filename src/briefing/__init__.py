"""briefing: a self-hosted, CPU-only daily news briefing.

Data flow, one module or subpackage per stage:
ingest -> store -> grouping -> summarise -> render -> deliver, driven by `pipeline`
(on demand, through `cli`) or by `service` (on a schedule).
"""

__version__ = "0.1.0"
