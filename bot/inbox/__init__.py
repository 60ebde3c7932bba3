"""The audience inbox (article 15): questions and answers (``service``), the question card and
its buttons (``cards``), the promise to the student and the overdue reminders (``reminders``).
"""
