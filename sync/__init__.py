"""Client for the central server (pull approvals, push scans): issue 5; nothing here yet."""
