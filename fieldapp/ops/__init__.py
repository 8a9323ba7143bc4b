"""Operations: backups of the database and the uploads, and their verified restore."""
