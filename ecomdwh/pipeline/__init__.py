"""The daily pipeline as users run it: land a day's raw data, run the state machine, report."""
