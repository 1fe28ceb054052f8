"""The app as it is served: app.py behind the middleware of ktmsc/ui/server.py.

Start it with ``streamlit run serve.py`` (``make run`` does): Streamlit finds the ``st.App``
below and serves app.py with it, reading ``.streamlit/config.toml`` and every
``--server.*`` flag as for ``streamlit run app.py``, which would serve the same pages
without the security headers.
"""

import faulthandler

import streamlit as st
from starlette.middleware import Middleware

from ktmsc.ui.server import SecurityHeaders, refuse_unknown_schema, warm_up

# A fatal signal (a native library's crash) writes every thread's stack to the log before
# the process ends, instead of leaving nothing to go on.
faulthandler.enable()
refuse_unknown_schema()  # a database a newer version migrated: say so and do not start
warm_up()  # the content and texts loaded, and the collector's work for them done, before anyone waits
app = st.App("app.py", middleware=[Middleware(SecurityHeaders)])
