"""getUpdates and the webhook methods (webhooks are stored, never delivered)."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from .context import CallContext, Handler

__all__ = ["METHODS"]


async def get_updates(ctx: CallContext) -> Any:
    params = ctx.params
    allowed = params.json_value("allowed_updates", "can't parse allowed updates JSON object")
    if allowed is not None and not isinstance(allowed, list):
        raise bad_request("can't parse allowed updates JSON object")
    ctx.world.updates.set_allowed(allowed)
    return await ctx.world.updates.poll(
        offset=params.integer("offset") or 0,
        limit=params.integer("limit") or 100,
        wait_seconds=max(0.0, params.number("timeout") or 0.0),
        request=ctx.request,
    )


async def set_webhook(ctx: CallContext) -> Any:
    url = ctx.params.string("url") or ""
    if url and not url.lower().startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    ctx.world.updates.webhook_url = url
    if ctx.params.flag("drop_pending_updates"):
        ctx.world.updates.drop_pending()
    ctx.world.changed()
    return True


async def delete_webhook(ctx: CallContext) -> Any:
    ctx.world.updates.webhook_url = ""
    if ctx.params.flag("drop_pending_updates"):
        ctx.world.updates.drop_pending()
    ctx.world.changed()
    return True


async def get_webhook_info(ctx: CallContext) -> Any:
    queue = ctx.world.updates
    body: dict[str, Any] = {
        "url": queue.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(queue.pending),
    }
    if queue.webhook_url:
        body["max_connections"] = 40
    return body


METHODS: dict[str, Handler] = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
