vg_cli_command(inspect source "print an image's metadata and a summary of its files")
