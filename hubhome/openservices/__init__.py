"""Open services without an individual decision: open advice and activities, counted."""
