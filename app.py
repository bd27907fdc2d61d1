"""hubdash's entry point, `streamlit run app.py`: the sign-in routes and the request guard around main.py.

HUBDASH_AUTH chooses the sign-in mode: none (open mode, this computer only), password or oidc (README).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

from hubdash.ui import access, public, signin

MODE = access.auth_mode()


@asynccontextmanager
async def _started(_app: st.App) -> AsyncIterator[None]:
    access.log_start(MODE)
    yield


app = st.App(
    "main.py",
    routes=[*signin.routes(MODE), *public.routes()],  # the public page of published verifications: no sign-in
    middleware=[Middleware(access.RequestGuard, mode=MODE)],
    lifespan=_started,
)
