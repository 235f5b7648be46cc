"""coze-compat: the harness behind the cozepy compatibility matrix (fake Coze API, version table, report)."""
