"""Reason templates: read from the config, seeded into the database once, edited by admins."""

from __future__ import annotations

import dataclasses

import pytest

from bot.config import ConfigError, UnionConfig, parse_config
from bot.members import Members
from bot.review.base import Refused
from bot.review.reasons import ReasonTemplates, TooLong
from storage import Database, audit
from storage.models import Refusal
from tests.conftest import ADMIN, REVIEWER1, config_data


def test_the_config_gives_templates_per_criterion() -> None:
    parsed = parse_config(config_data(reasons_1=["数据有误", "数据有误", " 来源不明 "]))
    assert parsed.reason_templates == {"1": ("数据有误", "来源不明")}
    assert parse_config(config_data()).reason_templates == {}
    for bad in ("数据有误", [""], ["长" * 31], [3]):
        with pytest.raises(ConfigError) as caught:
            parse_config(config_data(reasons_2=bad))
        assert caught.value.field == "workflow.reasons_2"


async def test_seeded_once_then_the_admins_changes_stay(db: Database, config: UnionConfig) -> None:
    await Members(db, config).seed_members()
    seeded = dataclasses.replace(config, reason_templates={"1": ("数据有误",), "3": ("图片模糊",)})
    templates = ReasonTemplates(db, seeded)
    await templates.seed()
    assert [(t.criterion, t.text) for t in await templates.listing()] == [
        ("1", "数据有误"),
        ("3", "图片模糊"),
    ]
    added = await templates.add(ADMIN, "2", "结构混乱")
    gone = await templates.remove(ADMIN, 1)
    assert gone is not None and gone.text == "数据有误"
    assert await templates.remove(ADMIN, 1) is None
    # A restart seeds nothing again: what the admins deleted stays deleted.
    await ReasonTemplates(db, seeded).seed()
    assert [t.id for t in await templates.listing()] == [added.id, 2]
    assert [t.text for t in await templates.for_criteria(["2"])] == ["结构混乱"]
    with pytest.raises(Refused) as caught:
        await templates.add(REVIEWER1, "1", "随便")
    assert caught.value.reason is Refusal.NOT_ADMIN
    with pytest.raises(TooLong):
        await templates.add(ADMIN, "1", "长" * 31)
    async with db.reading() as conn:
        actions = [e.action for e in await audit.between(conn, "", "9999") if "reasons" in e.action]
    assert actions == ["reasons.added", "reasons.removed"]
