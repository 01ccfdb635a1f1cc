"""Reporting for people: reminders to offices and the leadership review pack."""
