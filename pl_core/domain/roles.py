"""Role names, with no dependencies, so the command line can offer them without loading the database layer."""

DISTRICT_ADMIN = "district_admin"
COACH = "coach"
PRINCIPAL = "principal"
ROLES = (DISTRICT_ADMIN, COACH, PRINCIPAL)
