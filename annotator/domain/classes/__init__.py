"""Running a class: balanced assignment plans and roster files."""
