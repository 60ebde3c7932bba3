"""Account-change notices (article 16): the seven-working-day rule and wizard (``rules``), the
service that files and cancels them (``service``), and their sending and reminders (``notices``).
"""
