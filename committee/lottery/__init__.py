"""Drawing a committee by lottery: every volunteer as equal a chance as the quotas allow."""
