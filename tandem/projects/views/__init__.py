"""Project pages: list, overview, Gantt, task list, kanban, calendar, baselines, Excel and print exports."""
