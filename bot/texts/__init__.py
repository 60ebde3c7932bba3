"""Every user-facing string, in one place (Chinese), a module per feature. Handlers and tests use
these constants through this package (``texts.NAME``), whichever module holds them.

Templates are ``str.format`` strings producing Telegram HTML; callers escape user text.
"""

from bot.texts.account_changes import *  # noqa: F403
from bot.texts.assessment import *  # noqa: F403
from bot.texts.core import *  # noqa: F403
from bot.texts.documents import *  # noqa: F403
from bot.texts.intake import *  # noqa: F403
from bot.texts.jubao import *  # noqa: F403
from bot.texts.limits import *  # noqa: F403
from bot.texts.ops import *  # noqa: F403
from bot.texts.outbox import *  # noqa: F403
from bot.texts.partners import *  # noqa: F403
from bot.texts.publication import *  # noqa: F403
from bot.texts.refusals import *  # noqa: F403
from bot.texts.reminders import *  # noqa: F403
from bot.texts.review import *  # noqa: F403
from bot.texts.screening import *  # noqa: F403
from bot.texts.standins import *  # noqa: F403
from bot.texts.sync import *  # noqa: F403
