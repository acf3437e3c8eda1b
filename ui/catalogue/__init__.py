"""The Danh mục thủ tục section: the catalogue in the administrator's hands."""
