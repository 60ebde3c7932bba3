"""Partner reposts (article 17): partners, offers and the digest (``service``, Telegram-free), and
the offers and weekly digest as they are sent (``reposts``), hooked after each publication.
"""
