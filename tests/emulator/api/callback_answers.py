"""answerCallbackQuery."""

from __future__ import annotations

from typing import Any

from ..callbacks import CallbackAnswer
from ..errors import bad_request
from .context import CallContext, Handler

__all__ = ["METHODS"]


async def answer_callback_query(ctx: CallContext) -> Any:
    params = ctx.params
    query_id = params.string("callback_query_id")
    if not query_id:
        raise bad_request("callback_query_id is empty")  # checked before the id's validity
    answer = CallbackAnswer(
        text=params.string("text") or None,
        show_alert=params.flag("show_alert"),
        url=params.string("url") or None,
        cache_time=params.integer("cache_time") or 0,
    )
    query = ctx.world.callbacks.answer(query_id, answer)
    if answer.text:
        kind = "弹窗" if answer.show_alert else "提示"
        shown = f"{kind}: {answer.text}"
    else:
        shown = "(已应答，无提示)"
    tap = f"[{query.button_text}]" if query.button_text is not None else "伪造回调"
    detail = f"{query.user.full_name} 对 #{query.message.message_id} 的点击 {tap}: {shown}"
    ctx.world.record(
        "answer", query.message.chat, ctx.world.actor_label(None), detail=detail, ref=query.id
    )
    return True


METHODS: dict[str, Handler] = {"answerCallbackQuery": answer_callback_query}
