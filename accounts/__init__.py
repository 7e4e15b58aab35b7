"""`python -m accounts`: make and look after trainer, manager and admin accounts from the command
line (the first admin, a forgotten password). A thin layer over `services.accounts`."""
