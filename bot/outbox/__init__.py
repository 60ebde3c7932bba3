"""Messages decided inside a transaction and sent after it: the runner that retries them and
knows no feature (``runner``), cards kept up to date by one refresh loop (``cards``), prompts that
wait for a reply (``prompts``), the outbox's own payloads (``payloads``), and the bot that sends
everything silently in quiet hours (``quiet``).
"""
