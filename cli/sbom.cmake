vg_cli_command(sbom report "list an image's packages as an SBOM (table, json, CycloneDX, SPDX)")
