"""The review feature: a draft from intake through layout and three tiers to publication.

``workflow`` (pure rules), ``base``/``intake``/``service`` (the actions, Telegram-free),
``payloads`` (what it queues), ``render``/``keyboards``/``callbacks`` (what users see and tap),
``sending``/``notices``/``publishing``/``loading`` (its outbox senders), ``nudges`` (its reminders).
"""
