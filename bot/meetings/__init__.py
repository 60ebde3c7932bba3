"""The monthly planning meeting (article 8): the rule and its dates (``rules``), the grammar of
``/meeting set`` (``spec``), the schedule and agenda (``service``), the reminders (``reminders``).
"""
