"""Workshop: a leadership team rates its school together, sees the spread of its votes and records a consensus.

Two people use this page: the facilitator (signed in, or the local user on the machine the app runs on)
and the participants, who came by a join link or a ballot link and see only their ballot (app.py serves
them nothing else).
"""

import streamlit as st

from dashboard.components import context, data, workshop_ballot, workshop_facilitator

engine = data.engine()
viewer = st.session_state.get(data.VIEWER_KEY)  # None: a participant (a join or ballot link, or no account)

if viewer is None:
    workshop_ballot.show(engine)  # its own title: "Join a workshop", then the workshop's
else:
    st.title("Workshop")
    workshop_facilitator.show(engine, viewer, context.current())
