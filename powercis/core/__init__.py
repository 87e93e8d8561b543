"""Pure domain core of PowerCIS.

Nothing in this package imports Django: rating, late fees, case calculations, line loss and reading
validation are plain functions over plain data, so they can be tested exhaustively and run in batch
jobs or on a cluster. Money is ``decimal.Decimal``; never float.
"""
