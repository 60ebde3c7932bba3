"""Publication: the 公众号 draft box and the published-article check."""

from __future__ import annotations

from collections.abc import Mapping

# --- Publication (issue 11): the 公众号 draft box and the published-article check --------------
# Added after the catalogue's ``__all__`` so this block merges cleanly; it extends ``__all__``.
# For the admins: what WeChat's answer means and what to do. {code} is WeChat's error code.
WECHAT_ERROR_TEXTS: Mapping[int, str] = {
    -1: "微信系统繁忙（错误码 -1），机器人稍后会自动重试。",
    40001: (
        "公众号 AppSecret 不正确，或 access_token 已失效（微信错误码 40001）。"
        "请在公众号后台「设置与开发 → 基本配置」核对 AppSecret，并更新机器人环境变量中的密钥；"
        "若密钥无误，可能有另一个程序在用同一个 AppID 获取 access_token，使机器人的失效。"
    ),
    40013: "公众号 AppID 不正确（微信错误码 40013）。请核对配置文件 [wechat] 中的 app_id。",
    40125: (
        "公众号 AppSecret 不正确（微信错误码 40125）。请在公众号后台「设置与开发 → 基本配置」"
        "核对或重置 AppSecret，并更新机器人环境变量中的密钥。"
    ),
    40164: (
        "机器人服务器的 IP 不在公众号的 IP 白名单中（微信错误码 40164）。请在公众号后台"
        "「设置与开发 → 基本配置 → IP 白名单」加入：{ip}"
    ),
    40243: "公众号 AppSecret 已被冻结（微信错误码 40243），请在公众号后台解冻后再试。",
    41002: "缺少公众号 AppID（微信错误码 41002），请在配置文件 [wechat] 中填写 app_id。",
    41004: "缺少公众号 AppSecret（微信错误码 41004），请在机器人的环境变量中设置密钥。",
    45009: (
        "今天的微信接口调用次数已用完（错误码 45009），机器人稍后会自动重试。"
        "如需立即恢复，可在公众号后台重置接口调用次数（每月 10 次）。"
    ),
    45011: "微信接口调用太频繁（错误码 45011），机器人一分钟后会自动重试。",
    45003: (
        "标题超过微信公众号的长度上限（错误码 45003），文章没有放进草稿箱。"
        "请把标题缩短到 32 个字以内，再重新提交审核。"
    ),
    45004: (
        "摘要超过微信公众号的长度上限（错误码 45004），文章没有放进草稿箱。"
        "请把摘要缩短到 128 个字以内，再重新提交审核。"
    ),
    45110: (
        "作者名超过微信公众号的长度上限（错误码 45110），文章没有放进草稿箱。"
        "请把作者名缩短到 16 个字以内。"
    ),
    45002: (
        "正文超过微信公众号的上限（错误码 45002：须少于 2 万字符且小于 1 MB），"
        "文章没有放进草稿箱。请精简正文或拆成两篇。"
    ),
    45001: "文件超过微信的大小上限（错误码 45001）。正文图片须小于 1 MB，封面须不超过 10 MB。",
    40004: "素材类型不被微信接受（错误码 40004）。",
    40005: (
        "图片格式不被微信接受（错误码 40005）：正文图片只能是 JPG 或 PNG，"
        "封面可以是 JPG、PNG、GIF 或 BMP。"
    ),
    40006: "图片大小不符合微信要求（错误码 40006）。正文图片须小于 1 MB，封面须不超过 10 MB。",
    40009: "图片太大（错误码 40009）。正文图片须小于 1 MB，封面须不超过 10 MB。",
    40007: (
        "微信找不到所用的素材（错误码 40007 invalid media_id）：封面或图片素材可能已在"
        "公众号后台被删除。请重新放入草稿箱。"
    ),
    44001: "上传的图片是空文件（错误码 44001）。",
    48001: (
        "公众号没有调用这个接口的权限（错误码 48001）。请确认公众号已认证，"
        "并在「设置与开发 → 接口权限」中开通素材管理和草稿箱接口。"
    ),
}
WECHAT_ERROR_UNKNOWN = "微信接口返回错误 {code}：{errmsg}。文章没有放进草稿箱，请管理员查看。"
WECHAT_ERROR_TOKEN_AGAIN = (
    "机器人重新获取 access_token 后，微信仍然不认可（错误码 {code}）。"
    "可能有另一个程序在用同一个 AppID 获取 access_token，使机器人的失效；"
    "请确认只有机器人在用这个 AppID，或核对 AppSecret。"
)
WECHAT_ERROR_NETWORK = "连不上微信服务器（{detail}），机器人稍后会自动重试。"
WECHAT_ERROR_HTTP = "微信服务器返回 HTTP {status}，机器人稍后会自动重试。"
WECHAT_ERROR_HTTP_PERMANENT = (
    "微信接口地址返回 HTTP {status}，请检查配置中的微信接口地址和代理设置。"
)
WECHAT_ERROR_RESPONSE = "微信服务器的回应无法识别（{detail}），机器人稍后会自动重试。"
WECHAT_IP_UNKNOWN = "（微信未给出 IP，请查看服务器的出口 IP）"

# WeChat's limits, checked at intake so reviewers never approve what WeChat would refuse.
WECHAT_LIMIT_TITLE_EMPTY = "标题为空：公众号文章必须有标题。"
WECHAT_LIMIT_TITLE = "标题有 {length} 个字，公众号最多 {limit} 个字。"
WECHAT_LIMIT_AUTHOR = "作者名有 {length} 个字，公众号最多 {limit} 个字。"
WECHAT_LIMIT_DIGEST = "摘要有 {length} 个字，公众号最多 {limit} 个字。"
WECHAT_LIMIT_CONTENT_EMPTY = "正文为空：公众号文章必须有正文。"
WECHAT_LIMIT_CONTENT_CHARS = "正文（含排版代码）有 {length} 个字符，公众号要求少于 {limit} 个。"
WECHAT_LIMIT_COVER_MISSING = "缺少封面图片：公众号图文必须有封面。"
WECHAT_LIMIT_NOT_IMAGE = "文件「{name}」不是可识别的图片（公众号只接受 {allowed}）。"
WECHAT_LIMIT_IMAGE_TYPE = "图片「{name}」是 {kind} 格式，公众号正文图片只能是 {allowed}。"
WECHAT_LIMIT_COVER_TYPE = "封面「{name}」是 {kind} 格式，公众号封面只能是 {allowed}。"
WECHAT_LIMIT_IMAGE_SIZE = "图片「{name}」有 {size}，公众号正文图片须小于 {limit}。"
WECHAT_LIMIT_COVER_SIZE = "封面「{name}」有 {size}，公众号封面须不超过 {limit}。"
WECHAT_LIMIT_IMAGE_EMPTY = "图片「{name}」是空文件。"

# The check of a published 公众号 article against the approved text.
ARTICLE_NOT_WECHAT = "这不是公众号文章链接（应以 https://mp.weixin.qq.com/s 开头）：{url}"
ARTICLE_UNREACHABLE = "文章页面暂时打不开（{detail}），机器人稍后会自动重试。"
ARTICLE_HTTP_RETRY = "文章页面返回 HTTP {status}，机器人稍后会自动重试。"
ARTICLE_HTTP_GONE = "文章页面不存在（HTTP {status}），请检查链接是否正确。"
ARTICLE_TOO_LARGE = "文章页面超过 {limit}，没有读取。"
ARTICLE_DELETED = "文章已被发布者删除，或因违规无法查看。"
ARTICLE_VERIFY = "微信要求验证访问环境（“环境异常”页面），机器人稍后会自动重试。"
ARTICLE_NO_BODY = "页面中没有找到公众号文章正文，请确认链接是一篇公众号文章。"
ARTICLE_IMAGE = "[图片]"
ARTICLE_IGNORED = "比较时已忽略空白、换行、标点全半角和图片位置"
ARTICLE_MATCH = "页面上的正文与审定稿一致（" + ARTICLE_IGNORED + "）。"
ARTICLE_DIFFERS = "页面上的正文与审定稿有 {count} 处不同（" + ARTICLE_IGNORED + "）："
ARTICLE_CHANGE_KINDS: Mapping[str, str] = {
    "replace": "改动",
    "delete": "页面上少了",
    "insert": "页面上多了",
}
ARTICLE_CHANGE = "{n}. {kind}\n审定稿：{approved}\n页面上：{published}"
ARTICLE_CHANGE_NOTHING = "（无）"
ARTICLE_CHANGE_CUT = "……（此处共 {length} 字，只显示开头 {shown} 字）"
ARTICLE_MORE_CHANGES = "……另有 {count} 处不同未列出。"

# The 定稿 (final copy), the publication record and its check (issue 11) -----------------------
FINAL_HEADER = (
    "📌 <b>定稿</b> · 稿件 #{id} 第 {version} 版\n"
    "《{title}》\n"
    "三级审核已全部通过，以下是审定的原文，发布时请原样使用：\n"
    "{approvals}"
)
FINAL_APPROVAL = "第 {tier} 级 {role}：{name}，{at}"
FINAL_ROLE_NAMES: Mapping[int, str] = {1: "部门负责人", 2: "主席团成员", 3: "指导老师"}
FINAL_TEXT_PART = "〔正文 {n}/{total}〕\n{text}"
FINAL_FILE_CAPTION = "定稿附件 · 稿件 #{id} 第 {version} 版 · SHA-256 {sha}"
FINAL_FILE_MISSING = (
    "⚠️ 定稿附件「{name}」不在学生会的文件库中（{reason}），请管理员从备份恢复文件库。"
)
FINAL_FOOTER = (
    "内容哈希（三级审核通过的就是这一版）：\n<code>{hash}</code>\n{media}{links}"
    "发布后请点下方按钮或发送 /posted {id} 链接 登记发布位置。"
)
FINAL_MEDIA = (
    "公众号草稿箱：已放入（media_id <code>{media_id}</code>），请在公众号后台草稿箱中发表。\n"
)
FINAL_LINKS = "已登记的发布：\n{lines}\n"
FINAL_LINK_LINE = "· {platform}：{url} {check}"
BUTTON_POSTED = "登记发布链接"
FINAL_USAGE = "用法：/final 稿件编号，例如 /final 12（重新发送三级审核通过的定稿）。"
FINAL_NOT_FOUND = "没有编号为 #{id} 的稿件。"
FINAL_NOT_APPROVED = "稿件 #{id} 目前「{state}」，三级审核全部通过后才有定稿。"
FINAL_NOT_STAFF = "只有编辑、审核人和管理员可以查看定稿和登记发布。"
FINAL_QUEUED = "稿件 #{id} 的定稿马上发到这里。"

POSTED_USAGE = (
    "用法：/posted 稿件编号 链接 [账号]，例如 /posted 12 https://mp.weixin.qq.com/s/xxxx\n"
    "公众号、微博、抖音的链接会自动识别；其他账号请在链接后写上配置中的账号名。"
)
POSTED_PROMPT = "请回复这条消息，发送稿件 #{id} 的发布链接（公众号、微博、抖音或学生会其他账号）。"
POSTED_BAD_URL = "链接格式不对：请发送以 https:// 开头的完整链接。"
POSTED_NEED_ACCOUNT = "这个链接不是公众号、微博或抖音：请在链接后写上发布的账号名（{accounts}）。"
POSTED_UNKNOWN_ACCOUNT = "账号「{account}」不在配置的学生会账号中（{accounts}）。"
POSTED_NO_ACCOUNTS = "配置中未列出其他账号，请管理员在 [union] accounts 中添加"
POSTED_ALREADY = "稿件 #{id} 已登记过这个链接。"
POSTED_DONE = "已登记稿件 #{id} 的发布：{platform} {url}{check}"
POSTED_CHECKING = "\n机器人正在核对公众号文章与定稿是否一致，结果会显示在 /status {id}。"
PLATFORM_NAMES: Mapping[str, str] = {
    "wechat": "公众号",
    "weibo": "微博",
    "douyin": "抖音",
    "account": "账号",
}
CHECK_NAMES: Mapping[str, str] = {
    "none": "",
    "pending": "（核对中）",
    "verified": "（✅ 已核对，与定稿一致）",
    "differs": "（⚠️ 与定稿不一致）",
    "unavailable": "（❌ 无法核对）",
}
STATUS_PUBLICATION = "发布记录：\n{lines}"
STATUS_MEDIA = "公众号草稿箱 media_id：<code>{media_id}</code>"

CHECK_DIFFERS_ALERT = (
    "⚠️ 稿件 #{id}《{title}》在{platform}发布的文章与三级审核通过的定稿不一致（第 {version} 版）。\n"
    "链接：{url}\n{diff}"
)
CHECK_UNAVAILABLE_ALERT = "❌ 稿件 #{id} 的公众号文章无法核对：{reason}\n链接：{url}"
CHECK_WAITING_ALERT = (
    "⏳ 稿件 #{id} 的公众号文章已 {attempts} 次打不开（{reason}），机器人会继续重试，"
    "核对结果出来后会更新 /status {id}。\n链接：{url}"
)
WECHAT_DRAFTED = "稿件 #{id} 已放入公众号草稿箱（media_id <code>{media_id}</code>）。"
WECHAT_DRAFT_FAILED = "❌ 稿件 #{id} 没有放进公众号草稿箱：{reason}"
WECHAT_NO_SECRET = (
    "配置了公众号 AppID，但环境变量 WECHAT_APP_SECRET 没有设置，无法放入草稿箱。"
    "请在机器人的环境变量中设置 AppSecret 后重启。"
)
WECHAT_INTAKE_REFUSED = "这篇稿件公众号会拒收，请修改后再提交：\n{problems}"
WECHAT_DEFAULT_COVER = "封面.png"
FINAL_PHOTO_FILE = "稿件{id}.jpg"
FINAL_PHOTO_FILE_NTH = "稿件{id}-{n}.jpg"
WECHAT_INTAKE_ALERT = "公众号会拒收这篇稿件，没有提交：原因见下方消息。"
CHECK_WECHAT_OK = "公众号草稿箱：AppID {app_id}，AppSecret 已在环境变量中"
CHECK_WECHAT_BAD = "公众号草稿箱：配置了 AppID {app_id}，但缺少 AppSecret"
CHECK_WECHAT_FIX = (
    "在机器人的环境变量中设置 WECHAT_APP_SECRET（公众号后台「设置与开发 → 基本配置」），"
    "不要写进配置文件；不用草稿箱就删掉配置中的 [wechat] app_id。"
)
