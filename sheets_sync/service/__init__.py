"""`python run.py serve`: the scheduled service. It runs the cycle every sending day at
`service.send_at` and refreshes the tabs in between (`loop.py`, on `schedule`), one instance per
workbook (`lock.py`), and says how it is doing: «Сводка»'s health rows from its status
(`status.py`), a dead-man's-switch ping (`ping.py`) and alert emails to the administrator
(`alerts.py`). Only `clock.py` reads the wall clock; tests inject their own."""
