"""Content reports, /jubao (article 24): filing and handling (``service``) and the admins' card,
its edit and the reporter's notice as outbox senders (``sending``).
"""
