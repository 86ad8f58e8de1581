"""The terminal editor (Textual): edit an agency, solve, browse and save the plan.

The only package that imports textual. `structplan.tui.app.run(args)` is its entry point.
"""
