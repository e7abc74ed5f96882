"""Input tabs -> Records: the roadmap, the schools, the executors and the submission table, each
record with the cell it came from. Pure: a bad cell becomes a Problem naming the tab, the cell
and the fix, and reading goes on."""
