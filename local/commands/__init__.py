"""The CLI's subcommands: each module registers its functions with `local.cli.command`."""
