"""Headquarters review of mission submissions: dashboard, comments, submission diffs, deadlines.

Not an app of its own: its models live in rbb.models, its tasks are listed in CELERY_IMPORTS.
"""
