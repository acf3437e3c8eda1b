"""Today's board (Hôm nay): the clerk's home screen, and the search box."""
