#include "app/cli.h"

#include <stdio.h>
#include <string.h>

int wl_cli_main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("walking-library %s\n", WL_VERSION);
		return 0;
	}
	return 0;
}
