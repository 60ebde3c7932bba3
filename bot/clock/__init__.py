"""The union's clock: working days and holidays (``workdays``), dates as people type them
(``dates``), and ``Timing``: quiet hours, working-hour deadlines, nudge plans (``timing``).
"""
