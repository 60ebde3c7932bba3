"""Running the bot for years: start-up and its failures, the checklist, backups, health, secrets."""
