"""The management report from the command line (`python -m reports`, issue 15): an organisation's
wave as a PDF with its charts (PNG, SVG) and data (CSV, Excel), and the organisations with their
waves as JSON, so a trainer can script the reports. The work is `services.reports`'."""
