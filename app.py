"""hubdash's entry point, `streamlit run app.py`: the sign-in routes and the request guard around main.py.

HUBDASH_AUTH chooses the sign-in mode: none (open mode, this computer only), password or oidc (README).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

from hubdash.ui import guard, signin

MODE = guard.auth_mode()


@asynccontextmanager
async def _started(_app: st.App) -> AsyncIterator[None]:
    guard.log_start(MODE)
    yield


app = st.App(
    "main.py",
    routes=signin.routes(MODE),
    middleware=[Middleware(guard.RequestGuard, mode=MODE)],
    lifespan=_started,
)
