"""Every key of the editor, in one place: the help screen shows this table and a test checks
that it shows every row. No textual here."""

from __future__ import annotations

#: (section, keys as the user types them, what they do)
KEYS: tuple[tuple[str, str, str], ...] = (
    ("Anywhere", "1 .. 7", "Show a tab: Accounts, People, Hiring, Policy, Solve, Plan, Scenarios"),
    ("Anywhere", "Tab / Shift+Tab", "Move the focus to the next / previous control"),
    ("Anywhere", "Ctrl+S", "Save: the agency file (comments kept) and the plan next to it"),
    ("Anywhere", "Ctrl+O", "Open an agency or plan file"),
    ("Anywhere", "Ctrl+Z", "Undo the last edit (repeat to go further back)"),
    ("Anywhere", "Ctrl+Y", "Redo an undone edit"),
    ("Anywhere", "F5 / Ctrl+R", "Solve the structures ticked on the Solve tab"),
    ("Anywhere", "Esc", "Cancel a running solve (in a dialog: close it)"),
    ("Anywhere", "Ctrl+P", "Command palette: every action by name"),
    ("Anywhere", "F1 / ?", "This help"),
    ("Anywhere", "Ctrl+Q", "Quit (asks first when something is unsaved)"),
    ("Tables", "Arrows, PgUp, PgDn", "Move the cursor (Home / End: first / last row)"),
    ("Tables", "a", "Add a record (accounts, projects, people, hiring options, pins)"),
    ("Tables", "e / Enter", "Edit the record under the cursor in a form"),
    ("Tables", "d / Delete", "Delete the record under the cursor (Ctrl+Z brings it back)"),
    ("Forms", "Enter", "Save the form; an invalid value is refused with its message"),
    ("Forms", "Esc", "Close the form without changing anything"),
    ("Solve tab", "Space", "Tick or untick the structure under the focus"),
    ("Plan tab", "[ / ]", "Previous / next view: Overview, Accounts, People, Mentoring, Hires, Warnings, Diff"),
    ("Plan tab", "Enter (Warnings)", "Jump to the account or person of the warning"),
    ("Scenarios tab", "a / e / d", "Add, edit, delete a scenario of NAME.scenarios.toml (written at once)"),
    ("Scenarios tab", "r", "Solve the agency as edited and every scenario in the background"),
    ("Scenarios tab", "Esc", "Stop the run (the solves done are kept)"),
    ("Scenarios tab", "Enter", "Show the scenario's plan in the plan views (Ctrl+S writes it)"),
)
