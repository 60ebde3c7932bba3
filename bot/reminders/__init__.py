"""Reminders as database rows: one job armed at the earliest due row (``scheduler``); each
feature registers its own kinds (a ``ReminderKind``) in its own package.
"""
