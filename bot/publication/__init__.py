"""Publication: what the three tiers approved is what the union publishes.

``wechat``: the 公众号 API client (access token, image material, the draft box) and WeChat's
limits, checked before review. ``article``: reads a published 公众号 article page and compares
its text with the approved text.
"""
