"""The server entry: `streamlit run serve.py` serves the site (app.py) and does the heavy work at start.

Streamlit runs an `st.App` found here instead of treating this file as the page script; its
lifespan runs once the runtime is up and before the first connection is accepted. There the
process imports and loads what the pages need and freezes the long-lived objects
(views/startup.py), so no visitor waits for it. `streamlit run app.py` still works, without this.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st

from views import session_routes, startup


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    startup.warm_up()
    yield


# The login cookie's two routes (views/session_routes.py) are served beside the pages.
app = st.App("app.py", lifespan=lifespan, routes=session_routes.routes())
