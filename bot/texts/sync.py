"""Config and database agreeing (python -m bot sync-config); a group's id on request (/chatid)."""

from __future__ import annotations

# ---- Config and database: the differences, python -m bot sync-config ---------------------------

SYNC_JOIN = "＋ 新成员 {name}（{user_id}）：{roles}{team}"
SYNC_LEAVE = "－ 移除成员 {name}（{user_id}）：取消 {roles}"
SYNC_GRANT = "～ {name}（{user_id}）：增加角色 {roles}"
SYNC_REVOKE = "～ {name}（{user_id}）：取消角色 {roles}"
SYNC_RENAME = "～ {name}（{user_id}）：姓名 {before} → {after}"
SYNC_TEAM = "～ {name}（{user_id}）：所在组 {before} → {after}"
SYNC_UNTIL = "～ {name}（{user_id}）：志愿期最后一天 {before} → {after}"
SYNC_KEEP_ADMIN = (
    "！ 配置中没有管理员：保留 {name}（{user_id}）的管理员角色，"
    "以免最后一位管理员也被移除、无人能管理机器人"
)
SYNC_JOIN_TEAM = "，{team}"
SYNC_VOLUNTEER_UNTIL = "（至 {until}）"
SYNC_NO_TEAM = "（无）"
SYNC_HEADER = (
    "配置文件 {config} 与数据库 {path} 有 {count} 处不同"
    "（首次启动后以数据库为准；sync-config 按配置文件修改数据库）："
)
SYNC_CONFIRM = "按上面的 {count} 处改动修改数据库？输入 yes 确认："
SYNC_NEEDS_YES = (
    "没有改动数据库：确认上面的改动无误后，加上 --yes 再运行（python -m bot sync-config --yes）。"
)
SYNC_CANCELLED = "已取消，数据库没有改动。"
SYNC_DONE = "已按配置文件修改数据库：{count} 处改动，每处都记入了审计记录。"
SYNC_IN_STEP = "配置文件与数据库一致，没有需要同步的内容。"
SYNC_NO_DATABASE = "数据库 {path} 还不存在：首次启动时会按配置文件写入成员，无需同步。"
SYNC_NOT_SEEDED = "数据库 {path} 还没有写入过成员：首次启动时会按配置文件写入，无需同步。"
SYNC_CHANGED_MEANWHILE = (
    "确认期间数据库里的成员有了变化（机器人中有人改了角色？），没有改动数据库："
    "请重新运行 python -m bot sync-config 查看最新的差异。"
)
SYNC_FAILED = "同步失败：{reason}"
SYNC_DRIFT_ALERT = (
    "⚠️ 配置文件中的成员与数据库不一致（{count} 处）。首次启动后以数据库为准"
    "（在聊天中用 /role 修改的角色都在数据库里），配置文件的改动不会自动生效：\n"
    "{lines}\n"
    "要按配置文件修改数据库，请在服务器上运行 <code>python -m bot sync-config</code>"
    "（先列出改动，确认后才修改）；若数据库是对的，请按它修改配置文件，此提醒便不再出现。"
)
SYNC_DRIFT_MORE = "…… 另有 {count} 处，运行 python -m bot sync-config 可查看全部"
CHECK_SYNC_OK = "配置文件中的成员与数据库一致"
CHECK_SYNC_FRESH = "配置文件中的成员：数据库尚未写入成员，首次启动时按配置写入"
CHECK_SYNC_BAD = "配置文件中的成员与数据库有 {count} 处不同：\n      {lines}"
CHECK_SYNC_FIX = (
    "首次启动后以数据库为准。要按配置文件修改数据库，运行 python -m bot sync-config；"
    "若数据库是对的，请按它修改配置文件。"
)
CHECK_SYNC_SKIPPED = "配置文件与数据库的成员比较"
CHECK_SYNC_UNREADABLE = "无法读取数据库中的成员（{detail}），先解决上面数据库一项"

# ---- /chatid (and /start in a group) ----------------------------------------------------------

CHATID_GROUP = (
    "本群「{title}」的 id：<code>{chat_id}</code>\n"
    "机器人在群里的身份：{status}；{post}。\n"
    "{configured}"
)
CHATID_STATUS_ADMIN = "管理员"
CHATID_STATUS_MEMBER = "普通成员"
CHATID_STATUS_RESTRICTED = "受限成员"
CHATID_CAN_POST = "可以发消息，能在这里工作"
CHATID_CANNOT_POST = "不能发消息：请在群设置中允许机器人发言，或把它设为管理员"
CHATID_CONFIGURED = "配置中这个群是：{names}。"
CHATID_NOT_CONFIGURED = (
    "配置文件还没有用到这个群：要用它，请把 id 填进配置文件 [chats] 中相应的一项"
    "（如 tier1 = {chat_id}），然后重启机器人。"
)
CHATID_UNKNOWN = "没能查到机器人在本群的身份（{detail}）。本群 id：<code>{chat_id}</code>"
CHATID_NOT_ADMIN = "这个命令仅供机器人的管理员使用；要投稿或查看你的角色，请私聊机器人发送 /start。"
CHATID_PRIVATE = (
    "这是与机器人的私聊，你的用户 id：<code>{user_id}</code>。要查看群的 id，请在群里发送 /chatid。"
)
