vg_cli_command(db vulndb "import, update, export and inspect the vulnerability database")
