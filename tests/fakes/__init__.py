"""Strict local fakes of the outside services the bot talks to, served on 127.0.0.1."""
