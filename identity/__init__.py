"""Identity of the people who run workshops: roles, username and password rules, password hashing,
session tokens and their expiry, and the login throttle. Plain Python: no database, no Streamlit.

Participants have no account (they are known by a resume token, `services.rules`); trainers,
managers and admins log in (docs/accounts.md)."""
