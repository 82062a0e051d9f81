"""Calls and the applications filed under them (申报): the application, its editable sections and attachments,
its workflow rules, use cases and permission-filtered reads."""
