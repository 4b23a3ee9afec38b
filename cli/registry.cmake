vg_cli_command(registry source "manage registry credentials (login, logout, list, test)")
