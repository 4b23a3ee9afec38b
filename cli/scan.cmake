vg_cli_command(scan match "scan an image for known vulnerabilities (table or json, CI exit codes)")
