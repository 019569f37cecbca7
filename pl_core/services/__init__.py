"""The checked service layer: every page, the school report, every export, the CLI and the District view call these.

Each service takes the engine and the viewer (pl_core.services.access), checks what the viewer may use,
reads through pl_core.store, scores published level counts with pl_core.scoring under the disclosure
control of pl_core.privacy, and returns plain data. Nothing above this layer reads the store or scores
answers itself (the import contracts in pyproject.toml enforce it).

Modules: access (who may see what), catalog (engines, schools, rounds, context defaults), scores
(published figures), plan (next steps), goals, workshops, imports, district, reports, exports, users.
"""
