"""Who may read the change log (变更记录)."""

PERMISSIONS = {code: ("audit.view_changelog",) for code in ("auditor", "head", "admin")}
