"""Notification channels: IM group robots (DingTalk, WeCom, Feishu, Slack) and email lists that rules notify,
with their pages and API; `robots` speaks each platform's webhook dialect."""
