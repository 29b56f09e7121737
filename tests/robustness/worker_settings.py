"""Settings of the Celery workers the robustness tests start and kill (test_worker_killed.py).

The test settings, plus a broker that hands an unacknowledged message to another worker
after seconds rather than the hour Redis defaults to, so the test can watch a redelivery.
"""

import os
from pathlib import Path

from rbb.test_settings import *  # noqa: F401,F403
from rbb.test_settings import MEDIA_ROOT

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("RBB_TEST_VISIBILITY_TIMEOUT", "4")),
    "unacked_restore_interval": 1,  # look for unacknowledged messages every second …
    "unacked_restore_throttle": 1,  # … on every look
}
MEDIA_ROOT = Path(os.environ.get("RBB_TEST_MEDIA_ROOT", MEDIA_ROOT))
