"""The printed forms of the reception desk (reportlab PDFs). Records in, PDF bytes out; no database, no Qt."""
