"""Signals of the framework app, for what composes it (rbb) to act on without indicators
depending on it."""

from django.dispatch import Signal

# Sent inside the transaction of a save of an item's actual side that changed something,
# with report= and item=. rbb queues the report's readiness check once the save commits.
actual_saved = Signal()
