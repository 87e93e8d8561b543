"""The demo company generator (示范数据): ``powercis demo`` / ``make demo``.

See ``powercis.demo.generator`` for what is generated and how; ``names`` draws Chinese names, addresses
and ID numbers from syllable lists, ``profiles`` derives seasonal household profiles from real data.
"""

from __future__ import annotations

from powercis.demo.generator import DemoResult, demo_logins, demo_summary, format_summary, generate_demo

__all__ = ["DemoResult", "demo_logins", "demo_summary", "format_summary", "generate_demo"]
