"""The server entry: `streamlit run serve.py` serves the site (app.py) and does the heavy work at start.

Streamlit runs an `st.App` found here instead of treating this file as the page script; its
lifespan runs once the runtime is up and before the first connection is accepted. There the
process imports and loads what the pages need and freezes the long-lived objects
(views/startup.py), so no visitor waits for it; and it starts the daily purge of workshop data past
its retention (views/retention.py). It also serves the two routes of the login cookie
(views/session_routes.py) and the live quiz's event stream (views/live_events.py).
`streamlit run app.py` still shows the pages, without these.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st

from views import live_events, retention, session_routes, startup


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    startup.warm_up()
    startup.warm_dashboards()  # in the background: the open waves for the management dashboard
    # Workshop data past its retention goes now and once a day (views/retention.py).
    purging = asyncio.create_task(retention.purge_daily())
    try:
        yield
    finally:
        purging.cancel()


# The login cookie's two routes (views/session_routes.py) and the live quiz's event stream for phones
# (views/live_events.py) are served beside the pages.
app = st.App("app.py", lifespan=lifespan, routes=[*session_routes.routes(), *live_events.routes()])
