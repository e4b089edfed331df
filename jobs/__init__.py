"""The scheduler process and its jobs (run with `hubhome jobs`)."""
