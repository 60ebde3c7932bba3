"""Running the bot: start-up failures, the checklist, backups."""

from __future__ import annotations

from collections.abc import Mapping

# ---- Deployment: start-up failures, the checklist (python -m bot check), backups ----------------
# (one block, kept together so the deploy work merges as a unit)

STARTUP_FAILED = "无法启动：{reason}"
STARTUP_NETWORK = (
    "连不上 Telegram 服务器 {host}（{detail}）。请检查网络；在中国大陆的服务器上通常需要代理："
    "设置环境变量 HTTPS_PROXY=http://代理地址:端口 后重试（现在{proxy}）。"
)
STARTUP_PROXY_SET = " HTTPS_PROXY 指向 {proxy}"
STARTUP_PROXY_UNSET = "没有设置 HTTPS_PROXY"
STARTUP_PROXY_REFUSED = (
    "代理拒绝转发到 Telegram 服务器 {host} 的连接（代理的回答：{status}）。{hint}"
    "请检查代理地址和代理软件后重试（现在{proxy}）。"
)
# A 407 answer: the proxy wants a user name and password.
STARTUP_PROXY_LOGIN = (
    "代理要求登录：请把用户名和密码写进地址，如 http://用户名:密码@代理地址:端口。"
)
STARTUP_TOKEN_REJECTED = (
    "Telegram 拒绝了机器人令牌 BOT_TOKEN：令牌写错了或已被撤销。"
    "请在 @BotFather 发送 /mybots → 选择机器人 → API Token 查看或重新生成，再更新 BOT_TOKEN。"
)
STARTUP_DB_NOT_WRITABLE = (
    "数据库 {path} 无法创建或写入（{detail}）。请确认运行机器人的用户对该文件和所在文件夹有写权限，"
    "或用环境变量 BOT_DB 指定一个可写的位置。"
)
STARTUP_DB_NOT_SQLITE = (
    "{path} 不是 SQLite 数据库。请检查 BOT_DB 是否指向了别的文件；"
    "要从备份恢复请用 python -m bot restore 备份文件。"
)
STARTUP_DB_NEWER = (
    "数据库 {path} 已被更新版本的机器人升级过（结构版本 {found}，这个版本只认识到 {known}）。"
    "请升级机器人的代码后再启动，或用升级前的备份恢复（python -m bot restore 备份文件）。"
)

CHECK_TITLE = "启动前检查（{config}）："
CHECK_PASSED = "✅ {item}"
CHECK_FAILED = "❌ {item}\n   ↳ {fix}"
CHECK_SKIPPED = "⏭ {item}：{why}"
CHECK_ALL_PASSED = "全部通过，可以启动：make run（或 python -m bot）。"
CHECK_SOME_FAILED = "{failed} 项未通过：按 ↳ 后的说明修改后再运行 python -m bot check。"
CHECK_CONFIG_OK = "配置文件：键名、取值和类型都正确，没有示例占位值"
CHECK_CONFIG_BAD = "配置文件有误"
CHECK_SETTINGS_BAD = "环境变量有误"
CHECK_TOKEN_OK = "机器人令牌有效：@{username}"
CHECK_TOKEN_BAD = "机器人令牌"
CHECK_NETWORK_BAD = "连接 Telegram"
CHECK_NEEDS_SETTINGS = "先设置好环境变量 BOT_TOKEN"
CHECK_NEEDS_CONFIG = "先改好配置文件"
CHECK_CHATS = "群聊和频道"
CHECK_CHAT_NAMES: Mapping[str, str] = {
    "channel": "发布频道",
    "editors": "编辑群",
    "tier1": "一审群",
    "tier2": "二审群",
    "tier3": "三审群",
    "admins": "管理员群",
    "inbox": "学生来信群",
}
CHECK_CHAT_OK = "{what} chats.{key} = {chat_id}：「{title}」，机器人在群里{extra}"
CHECK_CHANNEL_OK = "{what} chats.{key} = {chat_id}：「{title}」，机器人是管理员，可以发布"
CHECK_CHAT_ADMIN = "且是管理员"
CHECK_CHAT_BAD = "{what} chats.{key} = {chat_id}"
CHECK_CHAT_NOT_FOUND = (
    "找不到这个群聊，或机器人不在其中：请确认 id 正确（超级群和频道以 -100 开头），"
    "并把机器人拉进群。"
)
CHECK_CHAT_LEFT = "机器人不在群里（{status}）：请把机器人拉进这个群，然后重新检查。"
CHECK_CHANNEL_NOT_ADMIN = (
    "机器人不是频道管理员，无法发布：请在频道设置 → 管理员中添加机器人，并允许「发布消息」。"
)
CHECK_CHAT_ERROR = "Telegram 的回复：{detail}"
CHECK_PRIVATE_OK = "{role}「{name}」（{user_id}）已私聊过机器人，能收到{what}"
CHECK_PRIVATE_BAD = "{role}「{name}」（{user_id}）没有私聊过机器人"
CHECK_PRIVATE_FIX = (
    "{why}：请 {name} 在 Telegram 中打开 @{bot} 并发送 /start（或在配置中设置 chats.{key}）。"
)
# Why a member gets things privately, and what, by the chat key that is not set.
CHECK_PRIVATE_WHY: Mapping[str, tuple[str, str]] = {
    "tier1": ("一审没有审核群，审核卡片私聊发给每位部门负责人", "审核卡片"),
    "tier2": ("二审没有审核群，审核卡片私聊发给每位主席团成员", "审核卡片"),
    "tier3": ("三审没有审核群，审核卡片私聊发给每位指导老师", "审核卡片"),
    "admins": ("没有管理员群，告警私聊发给每位管理员", "告警"),
}
CHECK_PRIVATE_ERROR = "{role}「{name}」（{user_id}）"
CHECK_DB_OK = "数据库 {path}：{state}，可写，磁盘剩余 {free}"
CHECK_DB_NEW = "尚未创建，首次启动时创建"
CHECK_DB_VERSION = "完好，结构版本 {version}"
CHECK_DB_PENDING = "，启动时将自动升级 {count} 步（升级前请先 python -m bot backup）"
CHECK_DB_RESTORE_HINT = "可用 python -m bot restore 最近的备份恢复（先停止机器人）。"
CHECK_FOLDER_NOT_WRITABLE = "文件夹 {folder} 不可写"
CHECK_DB_BAD = "数据库 {path}"
CHECK_DB_LOW_SPACE = "所在磁盘只剩 {free}：请清理磁盘或把 BOT_DB 放到更大的分区（至少留 {need}）。"
CHECK_BACKUP_OK = "备份文件夹 {path}：可写，保留最近 {keep} 份，{schedule}"
CHECK_BACKUP_SCHEDULE = "每天 {at} 自动备份"
CHECK_BACKUP_OFF = "未开启定时备份（[backup] schedule）"
CHECK_BACKUP_BAD = "备份文件夹 {path}"
CHECK_BACKUP_FIX = (
    "无法写入（{detail}）：请创建该文件夹并让运行机器人的用户可写，或修改 [backup] dir。"
)

BACKUP_DONE = (
    "已备份到 {path}（{size}，数据库结构版本 {version}）；"
    "保留最近 {keep} 份，删除了 {removed} 份旧备份。"
)
BACKUP_FAILED = "备份失败：{reason}"
RESTORE_DONE = (
    "已从 {source} 恢复到 {path}（完整性检查通过，结构版本 {version}）。"
    "原来的数据库已另存为 {saved}。现在可以启动机器人。"
)
RESTORE_FAILED = "恢复失败：{reason}"
RESTORE_NOT_FOUND = "找不到备份文件 {path}。"
BACKUP_DAMAGED = "数据库完整性检查未通过（{detail}），没有任何改动。"
RESTORE_CONFIRM = "将用 {source} 替换数据库 {path}（原数据库会另存一份）。确认恢复？输入 yes："
RESTORE_NEEDS_YES = (
    "将用 {source} 替换数据库 {path}：请先停止机器人，确认无误后加上 --yes 再运行"
    "（python -m bot restore --yes 备份文件）。"
)
RESTORE_CANCELLED = "已取消，数据库没有改动。"
RESTORE_NOTHING_SAVED = "（原来没有数据库）"
RESTORE_RUNNING = (
    "机器人似乎正在运行（数据库被占用）：请先停止机器人"
    "（systemctl stop union-bot 或 docker compose stop），再恢复。"
)
BACKUP_SCHEDULED_FAILED = (
    "定时备份失败：{reason}。请检查备份文件夹（[backup] dir）的权限和磁盘空间。"
)
