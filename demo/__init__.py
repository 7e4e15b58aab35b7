"""Demo data (issue 15): `python -m demo seed` fills an empty database with synthetic organisations,
departments, measurement waves and respondents, so a new install shows a living management
dashboard. See `demo.seed`."""
