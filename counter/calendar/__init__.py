"""Working time: the calendar of holidays and swap days, office hours, and legal due dates."""
