"""The demo company generator (示范数据): ``powercis demo`` / ``make demo``.

See ``powercis.demo.generator`` for what is generated and how; ``names`` draws Chinese names, addresses
and ID numbers from syllable lists, ``profiles`` derives seasonal household profiles from real data.
(An installed app only for its management command: the package imports no models at load time.)
"""
