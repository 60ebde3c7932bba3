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
