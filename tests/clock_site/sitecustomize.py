"""Move this process's clock to the test's (`HUBHOME_TEST_NOW`), ticking from there.

Only on PYTHONPATH for processes the tests start (`tests.clock.process_env`); it never ships.
"""

import os

if os.environ.get("HUBHOME_TEST_NOW"):
    from datetime import UTC, datetime

    import time_machine

    _instant = datetime.fromisoformat(os.environ["HUBHOME_TEST_NOW"].replace("Z", "+00:00"))
    if _instant.tzinfo is None:
        _instant = _instant.replace(tzinfo=UTC)
    time_machine.travel(_instant, tick=True).start()
