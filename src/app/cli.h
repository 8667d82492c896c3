/* The command line: serve, admin create, backup, --help, --version. */
#ifndef WL_APP_CLI_H
#define WL_APP_CLI_H

int wl_cli_main(int argc, char **argv);

#endif
