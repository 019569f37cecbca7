"""Users & access: district administrators add people, give them a role and assign their schools."""

import pandas as pd
import streamlit as st

from dashboard.components import access, data, tables
from dashboard.components.text import plain
from pl_core.services import access as auth
from pl_core.services import catalog, users

engine = data.engine()
viewer = data.current_viewer()
st.title("Users & access")

try:
    people = users.list_users(engine, viewer)
except auth.AccessDenied as exc:
    access.denied(exc)

ROLE_TEXT = {
    auth.DISTRICT_ADMIN: "District admin \u2014 every school, and this page",
    auth.COACH: "Coach \u2014 the schools assigned below",
    auth.PRINCIPAL: "Principal \u2014 their own school(s)",
}
if not access.shared_mode():
    st.info(
        "Sign-in is off (local mode), so these accounts take effect once `[auth]` is configured in "
        "`.streamlit/secrets.toml`. Add at least one district admin before switching it on."
    )

all_schools = catalog.list_schools(engine, viewer)
if people:
    table = pd.DataFrame(
        [
            {
                "Email": u.email,
                "Name": u.name,
                "Role": u.role.replace("_", " "),
                "Schools": ", ".join(u.schools) if u.role != auth.DISTRICT_ADMIN else "all",
            }
            for u in people
        ]
    )
    tables.show(table, key="admin_users")
else:
    st.caption(
        "No users yet. Add the first district admin below (or with `pl-diag users add EMAIL --role district_admin`)."
    )

st.subheader("Add a person")
with st.form("admin_add", clear_on_submit=True):
    cols = st.columns([3, 2, 2])
    email = cols[0].text_input("Email (as they sign in)", max_chars=200)
    name = cols[1].text_input("Name", max_chars=120)
    role = cols[2].selectbox("Role", list(ROLE_TEXT), format_func=lambda r: ROLE_TEXT[r].split(" \u2014")[0])
    schools = st.multiselect("Schools", all_schools, help="For coaches and principals; admins see every school.")
    if st.form_submit_button("Add", type="primary"):
        try:
            users.add_user(engine, viewer, email, role, name=name, schools=schools)
        except (users.UserError, ValueError) as exc:
            st.error(plain(exc))
        else:
            st.success(f"Added {plain(email)}.")
            st.rerun()

if people:
    st.subheader("Change someone's access")
    emails = [u.email for u in people]
    who = st.selectbox("Person", emails, key="admin_person")
    person = next(u for u in people if u.email == who)
    cols = st.columns(2)
    with cols[0]:
        new_role = st.selectbox(
            "Role",
            list(ROLE_TEXT),
            index=list(ROLE_TEXT).index(person.role),
            format_func=ROLE_TEXT.get,
            key=f"admin_role_{who}",
        )
        if new_role != person.role and st.button("Change role", key="admin_set_role"):
            users.set_role(engine, viewer, who, new_role)
            st.rerun()
    with cols[1]:
        if person.role == auth.DISTRICT_ADMIN:
            # words, not a greyed-out picker: its placeholder is too faint to read (and says nothing)
            st.markdown("**Schools**")
            st.caption("A district admin sees every school.")
            chosen = list(person.schools)
        else:
            chosen = st.multiselect(
                "Schools",
                all_schools,
                default=[s for s in person.schools if s in all_schools],
                key=f"admin_schools_{who}",
            )
        if set(chosen) != set(person.schools) and st.button("Save schools", key="admin_save_schools"):
            for school in set(chosen) - set(person.schools):
                users.assign_school(engine, viewer, who, school)
            for school in set(person.schools) - set(chosen):
                users.unassign_school(engine, viewer, who, school)
            st.rerun()
    if who != viewer.email and st.button(f"Remove {plain(who)}", key="admin_remove", icon=":material/person_remove:"):
        users.remove_user(engine, viewer, who)
        st.rerun()
