"""The footer of key bindings, redrawn only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's footer rebuilds its keys on every focus change; this one only when the keys,
    their descriptions or their enabled state differ from what it shows."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._showing: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            showing = tuple(
                (key, active.binding.description, active.binding.action, active.enabled)
                for key, active in screen.active_bindings.items()
                if active.binding.show
            )
            if showing == self._showing:
                return
            self._showing = showing
        super().bindings_changed(screen)
