"""Reasons and warnings: stable codes rendered into English or Korean with citations."""

from dualuse.explain.messages import render, render_all
from dualuse.explain.notice import Notice

__all__ = ["Notice", "render", "render_all"]
