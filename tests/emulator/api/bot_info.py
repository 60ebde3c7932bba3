"""getMe, the command menus, and the bot's name/description."""

from __future__ import annotations

from typing import Any

from ..bot_commands import CommandScope, parse_commands, parse_scope
from ..errors import bad_request
from .context import CallContext, Handler

__all__ = ["METHODS"]

_TEXT_LIMITS = {"name": 64, "description": 512, "short_description": 120}


async def get_me(ctx: CallContext) -> Any:
    body = ctx.world.bot.to_api()
    body.update(
        {
            "can_join_groups": True,
            "can_read_all_group_messages": not ctx.world.config.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
    )
    return body


def _scope_and_language(ctx: CallContext) -> tuple[CommandScope, str]:
    raw = ctx.params.json_value("scope", "can't parse BotCommandScope JSON object")
    scope = parse_scope(raw, ctx.world.chat_for)
    language = ctx.params.string("language_code") or ""
    if language and not (len(language) == 2 and language.isascii() and language.isalpha()):
        raise bad_request("invalid language code specified")
    return scope, language


async def set_my_commands(ctx: CallContext) -> Any:
    raw = ctx.params.json_value("commands", "can't parse commands JSON object")
    if raw is None:
        raise bad_request("commands is empty")
    commands = parse_commands(raw)
    scope, language = _scope_and_language(ctx)
    ctx.world.commands.set(scope, language, commands)
    ctx.world.changed()
    return True


async def get_my_commands(ctx: CallContext) -> Any:
    scope, language = _scope_and_language(ctx)
    return ctx.world.commands.get(scope, language)


async def delete_my_commands(ctx: CallContext) -> Any:
    scope, language = _scope_and_language(ctx)
    ctx.world.commands.delete(scope, language)
    ctx.world.changed()
    return True


def _profile_setter(field: str) -> Handler:
    async def setter(ctx: CallContext) -> Any:
        value = ctx.params.string(field) or ""
        if len(value) > _TEXT_LIMITS[field]:
            raise bad_request(f"bot {field.replace('_', ' ')} is too long")
        language = ctx.params.string("language_code") or ""
        ctx.world.profile.setdefault(field, {})[language] = value
        ctx.world.changed()
        return True

    return setter


def _profile_getter(field: str) -> Handler:
    async def getter(ctx: CallContext) -> Any:
        language = ctx.params.string("language_code") or ""
        values = ctx.world.profile.get(field, {})
        default = ctx.world.bot.first_name if field == "name" else ""
        return {field: values.get(language, values.get("", default))}

    return getter


METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setMyName": _profile_setter("name"),
    "getMyName": _profile_getter("name"),
    "setMyDescription": _profile_setter("description"),
    "getMyDescription": _profile_getter("description"),
    "setMyShortDescription": _profile_setter("short_description"),
    "getMyShortDescription": _profile_getter("short_description"),
}
