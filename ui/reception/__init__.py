"""The reception screen (Tiếp nhận hồ sơ): applicant, procedure, papers, fee, and the three outcomes."""
